"""One catalogue of errors: unique codes, each documented, and the API answers with them."""

from pathlib import Path

from protestwatch.errors import InvalidRequest, NotFound, ProtestwatchError, Unauthorized, catalogue

DOCS = Path(__file__).resolve().parent.parent / "docs" / "errors.md"


def test_codes_are_unique_and_each_is_documented():
    kinds = catalogue()
    assert len(kinds) >= 9 and kinds[0] is ProtestwatchError
    codes = [k.code for k in kinds]
    assert len(codes) == len(set(codes))
    documented = DOCS.read_text(encoding="utf-8")
    assert [c for c in codes if f"`{c}`" not in documented] == []


def test_http_statuses_follow_the_kind_of_error():
    assert (Unauthorized.status, InvalidRequest.status, NotFound.status) == (401, 422, 404)
    assert all(100 <= k.status < 600 for k in catalogue())
