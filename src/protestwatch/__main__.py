from protestwatch.cli import main

main()
