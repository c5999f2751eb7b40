from protestwatch.gate.decide import focused_text, may_report_event
from protestwatch.ingest import build_document
from protestwatch.ingest.formats import RawDocument


def _document(text):
    return build_document(RawDocument(text=text), "t.txt", "txt")


def test_gate_knows_inflections_but_not_lookalikes():
    assert may_report_event(_document("Police banned the rally and detained two men."))
    assert may_report_event(_document("Thousands demonstrated in the capital."))
    assert not may_report_event(_document("The central bank kept rates unchanged, slowing inflation, officials said."))


def test_gate_reads_a_verb_that_is_mostly_a_noun_only_in_its_verb_forms():
    assert not may_report_event(_document("The football club won the derby after the kick-off was delayed."))
    assert not may_report_event(_document("The party whip said members would vote against the budget."))
    assert may_report_event(_document("Officers clubbed and kicked the students outside the library."))
    assert may_report_event(_document("Witnesses said guards were whipping the prisoners."))


def test_focus_keeps_offsets_lead_and_the_sentences_around_triggers():
    filler = " ".join(f"The market report number {i} said prices were stable." for i in range(40))
    text = ("On Sunday the city was quiet. Officials met in the morning. " + filler +
            " Later, hundreds of people rallied outside the city hall. They were calling for new elections. " + filler)
    document = _document(text)
    focused = focused_text(document)
    assert len(focused) == len(text)
    assert focused.startswith("On Sunday the city was quiet. Officials met in the morning.")
    start = text.index("hundreds of people rallied")
    assert focused[start:start + 26] == "hundreds of people rallied"
    assert "calling for new elections" in focused
    assert "number 20 said" not in focused and "number 39 said" in focused  # a neighbour of the trigger
    assert all(a == b or b == " " for a, b in zip(text, focused, strict=True))


def test_short_reports_are_parsed_whole():
    text = "Police detained ten protesters in Almaty on Sunday. The weather was fine."
    assert focused_text(_document(text)) == text


def test_gate_knows_irregular_verb_forms():
    """beaten, shot, struck: forms the regular inflections miss come from the model's lemmatizer."""
    assert may_report_event(_document("A suspected thief was beaten up by locals in the market."))
    assert may_report_event(_document("Police shot two men near the border post."))


def test_gate_lets_a_gathering_with_a_demand_through():
    """'gathered' is a protest only beside a demand (the extractor's rule), so the gate must not drop it."""
    assert may_report_event(_document("On Monday, bus drivers gathered outside the depot to demand higher wages."))
    assert not may_report_event(_document("On Monday, officials gathered information about bus routes."))
