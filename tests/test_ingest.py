from datetime import date
from pathlib import Path

import pytest

from protestwatch.errors import IngestError
from protestwatch.ingest import discover, read_path
from protestwatch.ingest.clean import clean_text
from protestwatch.ingest.header import parse_header


def _read_one(path: Path, published=None):
    items = list(read_path(path, published))
    assert len(items) == 1, items
    return items[0]


def test_header_lines_give_title_date_outlet_url(shared_examples):
    document = _read_one(next(shared_examples.glob("001_*.txt")))
    assert document.title == "Kazakhstan: Dozens detained at opposition rallies"
    assert document.published == date(2021, 2, 28)
    assert document.outlet == "Deutsch Welle"
    assert document.url.startswith("https://www.dw.com/en/kazakhstan-dozens-detained")
    assert "[bookmark" not in document.text
    assert document.text[document.body_start:].startswith("Kazakhstan police arrested dozens")


def test_report_without_date_keeps_published_null_and_reads_signature_and_dateline(shared_examples):
    document = _read_one(next(shared_examples.glob("000_*.txt")))
    assert document.published is None
    assert document.outlet == "Times of Central Asia"
    assert document.dateline.text == "ASTANA"
    assert document.text[document.dateline.start:document.dateline.end] == "ASTANA"
    assert "Times of Central Asia" not in document.text[document.body_start:document.body_stop]


def test_published_option_fills_only_missing_dates(shared_examples):
    undated = _read_one(next(shared_examples.glob("000_*.txt")), date(2018, 5, 10))
    dated = _read_one(next(shared_examples.glob("001_*.txt")), date(2018, 5, 10))
    assert undated.published == date(2018, 5, 10)
    assert dated.published == date(2021, 2, 28)


def test_document_id_is_content_hash_and_stable(tmp_path):
    (tmp_path / "a.txt").write_text("Police detained ten protesters in Almaty on Sunday.\n")
    (tmp_path / "b.txt").write_text("Police detained ten protesters in Almaty on Sunday.\n")
    a, b = _read_one(tmp_path / "a.txt"), _read_one(tmp_path / "b.txt")
    assert a.id == b.id and len(a.id) == 16


def test_clean_text_removes_word_artifacts():
    assert clean_text("Outlet[bookmark: _GoBack]Title\r\nBody\u00a0text\u200b") == "OutletTitle\nBody text"


def test_header_without_metadata_starts_body_at_first_line():
    header = parse_header("Police detained ten protesters in Almaty on Sunday, witnesses said in interviews today.")
    assert header.title is None and header.body_start == 0


def test_docx(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Rally in Bishkek")
    doc.add_paragraph("May 3, 2022")
    doc.add_paragraph("Hundreds of people rallied in Bishkek on Tuesday demanding lower prices.")
    doc.save(tmp_path / "r.docx")
    document = _read_one(tmp_path / "r.docx")
    assert document.source_format == "docx"
    assert document.published == date(2022, 5, 3)
    assert "Hundreds of people rallied in Bishkek" in document.text


def test_html_uses_article_text_and_metadata():
    document = _read_one(Path(__file__).parent.parent / "examples" / "tbilisi_march.html")
    assert document.source_format == "html"
    assert document.published == date(2023, 3, 8)
    assert document.outlet == "Caucasus Ledger"
    assert "Thousands of people marched" in document.text
    assert "All rights reserved" not in document.text and "Home" not in document.text


def test_pdf(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Police detained 12 activists in Minsk on Monday during a picket.")
    pdf.output(str(tmp_path / "r.pdf"))
    document = _read_one(tmp_path / "r.pdf")
    assert document.source_format == "pdf"
    assert "Police detained 12 activists in Minsk" in document.text


def test_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "a1", "text": "Protesters rallied in Almaty.", "published": "2021-02-28", "source": "X"}\n'
        "not json\n"
        '{"id": "a2", "title": "no text"}\n'
        '{"text": "Police detained 5 people in Astana.", "published": "28/02/2021"}\n'
        '{"text": "Police detained 5 people in Astana."}\n'
    )
    items = list(read_path(path))
    documents = [i for i in items if not isinstance(i, IngestError)]
    failures = [i for i in items if isinstance(i, IngestError)]
    assert [d.id for d in documents][0] == "a1"
    assert documents[0].published == date(2021, 2, 28) and documents[0].outlet == "X"
    assert len(documents) == 2
    assert [f.path for f in failures] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "ISO date" in failures[2].reason


def test_jsonl_line_with_a_field_of_the_wrong_kind_is_reported_and_the_rest_load(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "b1", "text": "Students rallied in Bishkek.", "title": ["a", "list"]}\n'
        '{"id": "b2", "text": "Police detained 3 people in Osh.", "source": {"name": "X"}}\n'
        '{"id": "b3", "text": "A picket in Naryn.", "url": 7}\n'
        '{"id": 4, "text": "Workers struck in Talas."}\n'
        '[1, 2]\n'
        '{"id": "b5", "text": "Pensioners gathered in Karakol.", "title": "Fine", "extra": [1]}\n'
    )
    items = list(read_path(path))
    failures = {f.path: f.reason for f in items if isinstance(f, IngestError)}
    documents = [d for d in items if not isinstance(d, IngestError)]
    assert [d.id for d in documents] == ["b5"]
    assert set(failures) == {f"{path}:{n}" for n in (1, 2, 3, 4, 5)}
    assert "'title'" in failures[f"{path}:1"] and "list" in failures[f"{path}:1"]
    assert "'source'" in failures[f"{path}:2"]
    assert "'url'" in failures[f"{path}:3"]
    assert "'id'" in failures[f"{path}:4"] and "int" in failures[f"{path}:4"]


def test_a_bad_jsonl_line_does_not_stop_the_run_and_a_reused_id_is_reported(tmp_path):
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store
    from protestwatch.store.repository import counts

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "c1", "text": "Police detained 12 activists in Minsk on Monday.", "title": {"x": 1}}\n'
        '{"id": "c2", "text": "About 200 people rallied in Almaty on Sunday against price rises."}\n'
        '{"id": "c2", "text": "A different story under the same id."}\n'
    )
    other = tmp_path / "other.txt"
    other.write_text("Hundreds of workers went on strike in Karaganda on Friday over unpaid wages.\n")
    engine = open_store(str(tmp_path / "events.db"))
    summary = run_pipeline([feed, other], engine)
    reasons = dict(summary.failures)
    assert f"{feed}:1" in reasons and "'title'" in reasons[f"{feed}:1"]
    assert "already used by another text" in reasons[f"{feed}:3"]
    assert summary.documents_new == 2 and counts(engine)["documents"] == 2
    # a later run with the same id and yet another text is refused against the stored one
    again = tmp_path / "again.jsonl"
    again.write_text('{"id": "c2", "text": "Yet another story."}\n{"id": "c2", "text": "About 200 people rallied '
                     'in Almaty on Sunday against price rises."}\n')
    summary = run_pipeline([again], engine)
    assert [reason for _, reason in summary.failures] == [
        "id 'c2' is already used by another text; this one is not coded (give it its own id)"]
    assert summary.documents_known == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "no text"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
        ("latin.txt", bytes(range(128, 256)) * 20, "UTF-8"),
        ("broken.docx", b"PK\x03\x04 this is not a zip", "corrupt"),
        ("broken.pdf", b"%PDF-1.4 garbage without objects", "PDF"),
        ("notes.odt", b"whatever", "unsupported file type"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    item = _read_one(path)
    assert isinstance(item, IngestError)
    assert item.path == str(path)
    assert message.lower() in str(item).lower()


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: never read
    item = _read_one(path)
    assert isinstance(item, IngestError) and "too large" in item.reason


def test_legacy_encoding_is_decoded_when_detector_is_sure(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Protesters in Bogotá demanded the mayor’s resignation on Friday, police said.".encode("cp1252"))
    document = _read_one(path)
    assert "Bogotá" in document.text


def test_discover_walks_folders_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "1.html", "b/3.jsonl", "skip.png"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == ["1.html", "b/2.txt", "b/3.jsonl"]


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("Police detained 12 activists in Minsk on Monday.".encode("utf-16"))
    document = _read_one(path)
    assert document.text.startswith("Police detained 12 activists in Minsk")


def test_a_nul_byte_anywhere_makes_the_file_binary(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"Police detained 12 activists in Minsk on Monday. " * 400 + b"\x00tail")
    item = _read_one(path)
    assert isinstance(item, IngestError) and "NUL" in item.reason


def test_missing_paths_unreadable_folders_and_dangling_links_are_failures_of_the_run(tmp_path):
    import os

    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_text("Police detained 12 activists in Minsk on Monday during a picket.\n")
    (folder / "locked" / "hidden.txt").write_text("Workers struck in Gomel.\n")
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    os.chmod(folder / "locked", 0)
    try:
        engine = open_store(str(tmp_path / "events.db"))
        summary = run_pipeline([folder, tmp_path / "nowhere"], engine)
    finally:
        os.chmod(folder / "locked", 0o755)
    reasons = dict(summary.failures)
    assert reasons[str(tmp_path / "nowhere")] == "no such file or folder"
    assert "dangling" in reasons[str(folder / "dangling.txt")]
    readable_anyway = os.geteuid() == 0  # root reads any folder; the check means something for other users
    if not readable_anyway:
        assert "cannot be read" in reasons[str(folder / "locked")]
    assert summary.documents_new == (2 if readable_anyway else 1)
    from sqlalchemy import text

    with engine.connect() as connection:
        recorded = connection.execute(text("SELECT failures FROM runs")).scalar()
    assert recorded == len(summary.failures)


def test_a_docx_that_inflates_far_beyond_its_size_is_refused_before_unpacking(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:p>" + "a" * (80 * 1024 * 1024) + "</w:p>")
    assert path.stat().st_size < 1_000_000
    item = _read_one(path)
    assert isinstance(item, IngestError) and "inflates" in item.reason


def test_a_docx_with_too_much_text_is_refused_as_it_is_read(tmp_path):
    import docx

    document = docx.Document()
    for _ in range(1100):
        document.add_paragraph("Police detained activists in Minsk. " * 28)
    path = tmp_path / "long.docx"
    document.save(str(path))
    item = _read_one(path)
    assert isinstance(item, IngestError) and "too long" in item.reason


@pytest.mark.parametrize("line, desks, day", [
    ("Newswire (via Daily Post), Paris/Minsk, August 12, 2024 — Thousands marched.", "Paris/Minsk", date(2024, 8, 12)),
    ("Oslo, 3 March 2023 - Police detained ten people.", "Oslo", date(2023, 3, 3)),
])
def test_a_credit_dateline_after_a_standfirst_gives_the_desks_and_the_date(line, desks, day):
    text = f"Headline of the report\n- A standfirst line without a full stop\n{line}\n"
    header = parse_header(text)
    assert header.dateline.text == desks and text[header.dateline.start:header.dateline.end] == desks
    assert header.published == day
    # a sentence that merely starts with a place and a date is no dateline
    plain = parse_header("Headline\nIn Oslo, on 3 March 2023, police detained ten people.\n")
    assert plain.dateline is None and plain.published is None


def test_a_headline_run_into_the_body_on_one_line_ends_at_the_dateline():
    # wire copy flattened to one line: headline, byline, dateline and lead
    text = "Dockers walk out over pay Mary Poe DURBAN, May 2 (ANA) - Port workers stopped work on Tuesday."
    header = parse_header(text)
    assert header.title == "Dockers walk out over pay Mary Poe"
    assert text[header.body_start:].startswith("DURBAN, May 2")
    assert header.dateline.text == "DURBAN" and text[header.dateline.start:header.dateline.end] == "DURBAN"
    # prose that reaches a capitals name in brackets is no headline: a finished sentence comes first,
    # or the dash runs on in lower case
    for prose in ("Port workers stopped work. DURBAN (ANA) - The union said more would follow.",
                  "The strike spread to the port of DURBAN (South Africa) - and beyond."):
        header = parse_header(prose)
        assert header.body_start == 0 and header.dateline is None


def test_the_run_in_headline_is_not_read_and_the_lead_is_its_own_sentence(parse):
    # the headline's verb would rule the whole line (a promise), and its words are not the report
    document, mentions = parse("Mayor promises talks John Roe LAGOS, May 3 (AP) - Thousands of traders "
                               "marched to the city hall on Tuesday.", published=date(2023, 5, 4))
    assert document.title == "Mayor promises talks John Roe"
    assert [(m.type, m.date.start) for m in mentions] == [("protest", date(2023, 5, 2))]


def test_fingerprints_keep_the_values_earlier_versions_stored():
    # The first values of a signature, as datasketch 2's MinHash (affine32, 64 permutations, seed 1) gave
    # them: databases hold these, and a syndicated copy coded later must still find its original.
    from protestwatch.ingest.fingerprint import bands, signature, similarity

    text = "one two three four five six seven eight nine ten eleven twelve"
    assert signature(text).hex()[:64] == "dc163f1900000000bd79a00000000000a68a541b0000000025586e0200000000"
    assert signature("too short to compare") is None
    story = ("Police detained about fifty people in the capital on Sunday as hundreds gathered outside the "
             "parliament building to demand the release of jailed opposition leaders, witnesses said.")
    copy, other = story + " Reuters contributed.", "A different story about the harvest and the weather this week in the south."
    assert similarity(signature(story), signature(copy)) >= 0.8
    assert set(bands(signature(story))) & set(bands(signature(copy)))
    assert similarity(signature(story), signature(other * 2)) < 0.2
