"""Amending acts supersede what they amend, whatever order files arrive in; the current plan
of a region is a query; compliance is kept for the acts in force."""
from __future__ import annotations

from datetime import date
from typing import Optional

import pytest

from schema import ComplianceRow, RoadmapDocument
from pipeline.identity import act_id
from pipeline.store import Store
from pipeline.versions import normalize_act_number

from store_fixtures import gold_documents, make_doc


@pytest.mark.parametrize("raw, expected", [
    ("199-од", "199-од"),
    ("199-ОД", "199-од"),
    ("№ 199-од", "199-од"),
    ("№199 - од", "199-од"),
    ("199–од", "199-од"),          # en dash
    ("199—од", "199-од"),          # em dash
    ("199‑од", "199-од"),          # non-breaking hyphen
    ("199-oд", "199-од"),          # Latin o typed in a Cyrillic number
    ("199-OД.", "199-од"),
    ("918/02", "918/02"),
    (" 918 / 02 ", "918/02"),
    ("1222-0", "1222-0"),
    ("64-од", "64-од"),
    ("№ 01-05/123", "01-05/123"),
    ("", None),
    ("№", None),
    (None, None),
])
def test_normalize_act_number(raw: Optional[str], expected: Optional[str]) -> None:
    assert normalize_act_number(raw) == expected


BASE = dict(region="RU-SAM", number="199-од", date="2020-05-21")

# (description, amending document's fields, is the base act superseded)
CASES = [
    ("number and date", dict(number="10", date="2021-02-12", amends=[{"number": "199-од", "date": "2020-05-21"}]), True),
    ("number written differently", dict(number="10", date="2021-02-12", amends=[{"number": "№ 199-ОД", "date": "2020-05-21"}]), True),
    ("number only, same level", dict(number="10", date="2021-02-12", amends=[{"number": "199-од", "date": None}]), True),
    ("date only, same level", dict(number="10", date="2021-02-12", amends=[{"number": None, "date": "2020-05-21"}]), True),
    ("date disagrees", dict(number="10", date="2021-02-12", amends=[{"number": "199-од", "date": "2020-05-22"}]), False),
    ("number disagrees", dict(number="10", date="2021-02-12", amends=[{"number": "198-од", "date": "2020-05-21"}]), False),
    ("other region", dict(region="RU-TYU", number="10", date="2021-02-12", amends=[{"number": "199-од", "date": "2020-05-21"}]), False),
    ("no region on the amending act", dict(region=None, number="10", date="2021-02-12", amends=[{"number": "199-од", "date": "2020-05-21"}]), False),
    ("amending act is older", dict(number="10", date="2019-01-01", amends=[{"number": "199-од", "date": None}]), False),
    ("number only, other level", dict(number="10", date="2021-02-12", level="municipal", amends=[{"number": "199-од", "date": None}]), False),
    ("no amends", dict(number="10", date="2021-02-12", amends=[]), False),
    ("empty reference", dict(number="10", date="2021-02-12", amends=[{"number": None, "date": None}]), False),
]


@pytest.mark.parametrize("description, fields, superseded", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("arrival", ["base-first", "amendment-first", "together"])
def test_amendment_supersedes(store: Store, description: str, fields: dict, superseded: bool,
                              arrival: str) -> None:
    base = make_doc("base", **BASE)
    amending = make_doc("amending", **{**BASE, **fields})
    if arrival == "together":  # one transaction (Store.store_documents), the amendment first
        results = store.store_documents([(amending, None, 1), (base, None, 1)])
        assert [r.status for r in results] == ["stored", "superseded" if superseded else "stored"]
    for doc in {"base-first": [base, amending], "amendment-first": [amending, base]}.get(arrival, []):
        store.store_document(doc, size=1)
    states = store.superseded_by()
    assert states[base.id] == (amending.id if superseded else None)
    assert states[amending.id] is None
    ledger = {e.document_id: e.status for e in store.ledger()}
    assert ledger[base.id] == ("superseded" if superseded else "stored")
    current = {d.id for d in store.current_documents("RU-SAM")}
    assert (base.id in current) is not superseded


def test_current_plan_follows_amendments(store: Store) -> None:
    original = make_doc("orig", region="RU-IVA", number="5", date="2021-01-10")
    first_change = make_doc("chg1", region="RU-IVA", number="50", date="2021-06-01",
                            amends=[{"number": "5", "date": "2021-01-10"}])
    second_change = make_doc("chg2", region="RU-IVA", number="90", date="2021-11-01",
                              amends=[{"number": "50", "date": "2021-06-01"}])
    municipal = make_doc("city", region="RU-IVA", number="7", date="2021-12-01", level="municipal")
    assert store.current_plan("RU-IVA") is None
    store.store_document(original, size=1)
    assert store.current_plan("RU-IVA").id == original.id
    store.store_document(municipal, size=1)
    assert store.current_plan("RU-IVA").id == original.id  # a city's plan is not the region's
    store.store_document(second_change, size=1)
    store.store_document(first_change, size=1)
    assert store.current_plan("RU-IVA").id == second_change.id
    assert {d.id for d in store.current_documents("RU-IVA")} == {second_change.id, municipal.id}
    assert store.current_plan("RU-XXX") is None


def test_the_real_amending_order_supersedes_the_act_it_names(store: Store) -> None:
    """The Samara order amends act 199-од of 2020-05-21: once that act arrives, it is superseded."""
    samara = next(d for d in gold_documents() if d.amends)
    ref = samara.amends[0]
    amended = make_doc("amended-act", region=samara.region.code, number=ref.number,
                       date=ref.date.isoformat(), level=samara.level)
    store.store_document(samara, size=1)
    store.store_document(amended, size=1)
    assert store.superseded_by()[amended.id] == samara.id
    assert store.current_plan(samara.region.code).id == samara.id


def _snapshot_after(db_url: str, docs: list[RoadmapDocument], group: int = 1) -> dict:
    with Store(db_url) as s:
        s.drop_all()
        s.migrate()
        for start in range(0, len(docs), group):
            s.store_documents([(doc, None, 1) for doc in docs[start:start + group]])
        return s.content_snapshot()


def test_arrival_order_does_not_change_the_database(db_url: str) -> None:
    docs = [
        make_doc("o1", region="RU-IVA", number="5", date="2021-01-10"),
        make_doc("o2", region="RU-IVA", number="50", date="2021-06-01", amends=[{"number": "5", "date": None}]),
        make_doc("o3", region="RU-IVA", number="90", date="2021-11-01", amends=[{"number": "50", "date": None}]),
        make_doc("o4", region="RU-TYU", number="5", date="2021-01-10"),
        make_doc("o5", region="RU-IVA", number="№ 5", date="2021-01-10", fmt="pdf"),  # a rendition of o1
    ]
    orders = [docs, docs[::-1], [docs[2], docs[0], docs[3], docs[1], docs[4]]]
    snapshots = [_snapshot_after(db_url, order) for order in orders]
    # The same stored in one transaction, or a few at a time (Store.store_documents).
    snapshots += [_snapshot_after(db_url, order, group) for order in orders[:2] for group in (2, len(docs))]
    assert all(s == snapshots[0] for s in snapshots)
    assert len(snapshots[0]["documents"]) == 5


def _fake_rows(doc: RoadmapDocument) -> list[ComplianceRow]:
    """Two rows per document: enough to check the store's bookkeeping (the matching itself
    is pipeline.compare's and tested there)."""
    region = doc.region.code if doc.region else None
    return [ComplianceRow(document_id=doc.id, region_code=region, milestone_id=f"m{i}",
                          federal_deadline="2022-03-01", status="missing") for i in (1, 2)]


def test_compliance_is_pending_for_changed_regions_until_computed(store: Store) -> None:
    a = make_doc("ca", region="RU-IVA", number="5", date="2021-01-10")
    b = make_doc("cb", region="RU-TYU", number="6", date="2021-01-10")
    nowhere = make_doc("cn", region=None, number="7")
    for doc in (a, b, nowhere):
        store.store_document(doc, size=1)
    assert store.pending_compliance_regions() == ["", "RU-IVA", "RU-TYU"]
    for key in store.pending_compliance_regions():
        assert store.update_compliance(key, _fake_rows) == 2
    assert store.pending_compliance_regions() == []
    assert {r.document_id for r in store.compliance()} == {a.id, b.id, nowhere.id}

    amending = make_doc("cc", region="RU-IVA", number="9", date="2021-05-01", amends=[{"number": "5", "date": None}])
    store.store_document(amending, size=1)
    assert store.pending_compliance_regions() == ["RU-IVA"]
    store.update_compliance("RU-IVA", _fake_rows)
    assert {r.document_id for r in store.compliance("RU-IVA")} == {amending.id}
    assert len(store.compliance()) == 6


def test_regions_rewritten_together_leave_what_one_by_one_leaves(db_url: str) -> None:
    """update_compliance_of (an ingest's pass: several regions a transaction) writes the rows,
    counts and clears the marks exactly as one update_compliance per region does, the
    documents without a region included, and leaves other regions pending."""
    docs = [
        make_doc("ga", region="RU-IVA", number="5", date="2021-01-10"),
        make_doc("gb", region="RU-IVA", number="9", date="2021-05-01", amends=[{"number": "5", "date": None}]),
        make_doc("gc", region="RU-TYU", number="6", date="2021-01-10"),
        make_doc("gd", region=None, number="7"),
        make_doc("ge", region="RU-SAM", number="8", date="2021-01-10"),
    ]
    results = []
    for together in (False, True):
        with Store(db_url) as store:
            for doc in docs:
                store.store_document(doc, size=1)
            wanted = ["", "RU-IVA", "RU-TYU"]
            if together:
                written = store.update_compliance_of(wanted, _fake_rows)
            else:
                written = {key: store.update_compliance(key, _fake_rows) for key in wanted}
            rows = sorted((r.document_id, r.region_code or "", r.milestone_id) for r in store.compliance())
            results.append((written, rows, store.pending_compliance_regions()))
            store.drop_all()
    assert results[0] == results[1]
    written, rows, pending = results[1]
    assert written == {"": 2, "RU-IVA": 2, "RU-TYU": 2}  # the amended act has none
    assert pending == ["RU-SAM"]
    assert {doc_id for doc_id, _, _ in rows} == {docs[1].id, docs[2].id, docs[3].id}


def test_a_pass_over_more_regions_than_a_group_writes_them_all(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.store as store_module

    monkeypatch.setattr(store_module, "COMPLIANCE_GROUP", 2)
    codes = ["RU-IVA", "RU-SAM", "RU-TYU", None, "RU-KHM"]
    for n, code in enumerate(codes):
        store.store_document(make_doc(f"pass{n}", region=code, number=str(n), date="2021-01-10"), size=1)
    assert store.refresh_compliance(compute=_fake_rows) == 2 * len(codes)
    assert store.pending_compliance_regions() == []
    assert sorted(r.region_code or "" for r in store.compliance()) == sorted(2 * [c or "" for c in codes])


def test_compliance_from_the_real_comparison(store: Store) -> None:
    compare = pytest.importorskip("pipeline.compare", reason="pipeline.compare not available")
    timeline = pytest.importorskip("pipeline.timeline", reason="pipeline.timeline not available")
    milestones = timeline.load_timeline()
    docs = gold_documents()
    for doc in docs:
        store.store_document(doc, size=1)
    for key in store.pending_compliance_regions():
        store.update_compliance(key, lambda d: compare.compare_document(d, milestones))
    stored = store.compliance()
    expected = [row for d in docs for row in compare.compare_document(d, milestones)]
    key = lambda r: (r.document_id, r.milestone_id)  # noqa: E731
    assert sorted(stored, key=key) == sorted(expected, key=key)
    assert stored


RENDITIONS = [
    # (seed, format, ocr, activities read)
    ("scan", "pdf", True, 5),
    ("text-pdf", "pdf", False, 4),
    ("rtf", "rtf", False, 4),
    ("docx", "docx", False, 3),
]


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]], ids=["scan-first", "docx-first", "mixed"])
def test_renditions_of_one_act_keep_one_in_force(store: Store, order: list[int]) -> None:
    docs = [make_doc(seed, region="RU-IVA", number="1222-0", date="2021-12-04", fmt=fmt, ocr=ocr, activities=n)
            for seed, fmt, ocr, n in RENDITIONS]
    for i in order:
        store.store_document(docs[i], size=1)
    docx = docs[3]
    assert store.duplicate_of() == {d.id: (None if d is docx else docx.id) for d in docs}
    assert [d.id for d in store.current_documents("RU-IVA")] == [docx.id]
    assert store.current_plan("RU-IVA").id == docx.id
    ledger = {e.document_id: (e.status, e.error) for e in store.ledger()}
    assert ledger[docx.id] == ("stored", None)
    for d in docs[:3]:
        status, note = ledger[d.id]
        assert status == "duplicate" and note.startswith(
            f"another rendition of act RU-IVA приказ № 1222-0 of 2021-12-04 stored from {docx.source.path} on ")
    assert len(store.current_activity_records()) == 3


@pytest.mark.parametrize("other", [
    dict(number="1222-1"),
    dict(date="2021-12-05"),
    dict(doc_type="распоряжение"),
    dict(level="municipal"),
    dict(region="RU-TYU"),
    dict(number=None),
    dict(date=None),
], ids=["number", "date", "type", "level", "region", "no-number", "no-date"])
def test_different_acts_are_not_renditions(store: Store, other: dict) -> None:
    fields = dict(region="RU-IVA", number="1222-0", date="2021-12-04")
    a = make_doc("a", **fields)
    b = make_doc("b", **{**fields, **other}, fmt="pdf")
    if other.get("number", 1) is None or other.get("date", 1) is None:
        a = make_doc("a", **{**fields, **other})
    store.store_document(a, size=1)
    store.store_document(b, size=1)
    assert set(store.duplicate_of().values()) == {None}


def test_an_amendment_supersedes_every_rendition_of_its_target(store: Store) -> None:
    base_docx = make_doc("base-docx", **BASE)
    base_pdf = make_doc("base-pdf", **BASE, fmt="pdf")
    change_pdf = make_doc("chg-pdf", region="RU-SAM", number="64-од", date="2021-02-12", fmt="pdf",
                          amends=[{"number": "199-од", "date": "2020-05-21"}])
    change_docx = make_doc("chg-docx", region="RU-SAM", number="64-од", date="2021-02-12",
                           amends=[{"number": "199-од", "date": "2020-05-21"}])
    for doc in (change_pdf, base_docx, change_docx, base_pdf):
        store.store_document(doc, size=1)
    assert store.superseded_by()[base_docx.id] == change_docx.id
    assert store.superseded_by()[base_pdf.id] == change_docx.id
    assert [d.id for d in store.current_documents("RU-SAM")] == [change_docx.id]
    notes = {e.document_id: e.error for e in store.ledger()}
    assert notes[base_pdf.id].startswith(
        f"superseded by act RU-SAM приказ № 64-од of 2021-02-12 stored from {change_docx.source.path} on ")


def test_an_amendment_and_its_target_stored_at_the_same_moment(db_url: str) -> None:
    """Two writers, one storing an act and the other the act amending it, in parallel: the
    amended act still ends up superseded (writers of one region take turns)."""
    import threading

    pairs = [(make_doc(f"target{i}", region="RU-PER", number=f"{i}-од", date="2021-03-01"),
              make_doc(f"change{i}", region="RU-PER", number=f"{i}0-од", date="2021-09-01",
                       amends=[{"number": f"{i}-од", "date": "2021-03-01"}])) for i in range(8)]
    stores = [Store(db_url), Store(db_url)]
    try:
        for target, change in pairs:
            barrier = threading.Barrier(2)
            errors: list[BaseException] = []

            def write(store: Store, doc: RoadmapDocument) -> None:
                try:
                    barrier.wait()
                    store.store_document(doc, size=1)
                except BaseException as exc:  # surfaced below
                    errors.append(exc)

            threads = [threading.Thread(target=write, args=(stores[0], target)),
                       threading.Thread(target=write, args=(stores[1], change))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
        states = stores[0].superseded_by()
        assert all(states[target.id] == change.id for target, change in pairs)
    finally:
        for s in stores:
            s.close()


@pytest.mark.parametrize("edit, differs", [
    (None, None),                                      # the same plan: a rendition, nothing to say
    ("indicator", None),                               # read otherwise, not planned otherwise
    ("moved", "1 moved"),
    ("dropped", "1 dropped"),
    ("moved+dropped", "1 moved, 1 dropped"),
])
def test_a_rendition_whose_plan_differs_says_so(store: Store, edit: Optional[str], differs: Optional[str]) -> None:
    """A second file of the same act (number, date, type, level) whose plan is not the stored
    one's — a corrected appendix under the same number — is not passed off as a copy: its
    ledger note says how it differs and how to see it."""
    first = make_doc("signed", region="RU-IVA", number="1222-0", date="2021-12-04", activities=3)
    second = make_doc("corrected", region="RU-IVA", number="1222-0", date="2021-12-04", activities=3)
    acts = second.activities
    if edit and "moved" in edit:
        acts[0] = acts[0].model_copy(update={"schedule": acts[0].schedule.model_copy(
            update={"raw": "до 14.01.2022", "kind": "deadline", "start": None, "end": date(2022, 1, 14)})})
    if edit == "indicator":
        acts[1] = acts[1].model_copy(update={"indicators": []})
    if edit and "dropped" in edit:
        second = second.model_copy(update={"activities": acts[:-1]})
    store.store_document(first, size=1)
    store.store_document(second, size=1)
    ledger = {e.document_id: (e.status, e.error) for e in store.ledger()}
    [(kept, _)] = [(doc_id, s) for doc_id, (s, _) in ledger.items() if s == "stored"]
    [(other, (status, note))] = [(doc_id, v) for doc_id, v in ledger.items() if doc_id != kept]
    assert status == "duplicate" and note.startswith("another rendition of act RU-IVA приказ № 1222-0")
    if differs is None:
        assert "DIFFERS" not in note
    else:
        assert f"BUT ITS PLAN DIFFERS ({differs})" in note and f"roadmap diff {kept} {other}" in note


def test_an_amendment_says_which_act_it_supersedes(store: Store) -> None:
    """The run's line for a stored amendment names the act it took out of force; the target's
    own line says superseded by what; the ledger's `stored` row keeps no note."""
    base = make_doc("base", **BASE)
    amendment = make_doc("amendment", region="RU-SAM", number="10", date="2021-02-12",
                         amends=[{"number": "199-од", "date": "2020-05-21"}])
    assert store.store_document(base, size=1).note is None
    result = store.store_document(amendment, size=1)
    assert (result.status, result.note) == (
        "stored", f"supersedes act RU-SAM приказ № 199-од of 2020-05-21 stored from {base.source.path} on "
                  f"{date.today().isoformat()}")
    ledger = {e.document_id: (e.status, e.error) for e in store.ledger()}
    assert ledger[amendment.id] == ("stored", None)
    assert ledger[base.id][0] == "superseded"
    # Stored the other way round, the target is superseded as it arrives: nothing was displaced.
    with _emptied(store) as fresh:
        assert fresh.store_document(amendment, size=1).note is None
        assert fresh.store_document(base, size=1).status == "superseded"


def _emptied(store: Store) -> Store:
    """The same database with every table dropped and made again."""
    url = store.url
    store.drop_all()
    return Store(url)


@pytest.mark.parametrize("together", [False, True], ids=["one-by-one", "one-transaction"])
@pytest.mark.parametrize("edit", [None, "moved"])
def test_a_preferred_rendition_says_which_it_took_the_place_of(store: Store, together: bool,
                                                                edit: Optional[str]) -> None:
    """A DOCX stored after the text PDF of the same act is in force in its place, and says so
    (and whether the plans differ) whether the two were stored in one transaction or two; a
    PDF stored after the DOCX displaces nothing, and the DOCX's line says nothing."""
    fields = dict(region="RU-IVA", number="1222-0", date="2021-12-04")
    pdf = make_doc("ivanovo-pdf", fmt="pdf", **fields)
    docx = make_doc("ivanovo-docx", fmt="docx", **fields)
    if edit:
        acts = docx.activities
        acts[0] = acts[0].model_copy(update={"schedule": acts[0].schedule.model_copy(
            update={"raw": "до 14.01.2022", "kind": "deadline", "start": None, "end": date(2022, 1, 14)})})

    def store_both(first: RoadmapDocument, second: RoadmapDocument):
        if together:
            return store.store_documents([(first, None, 1), (second, None, 1)])
        return [store.store_document(first, size=1), store.store_document(second, size=1)]

    _, docx_result = store_both(pdf, docx)
    note = f"in force in place of another rendition of the act stored from {pdf.source.path} on {date.today()}"
    if edit:
        note += f"; THE PLANS DIFFER (1 moved): see `roadmap diff {pdf.id} {docx.id}`"
    assert (docx_result.status, docx_result.note) == ("stored", note)
    store = _emptied(store)
    try:
        docx_result, pdf_result = store_both(docx, pdf)
    finally:
        store.close()
    assert (docx_result.status, docx_result.note) == ("stored", None)
    assert pdf_result.status == "duplicate"


@pytest.mark.parametrize("name, key", [
    ("Туймазинский район", "туйма"),
    ("муниципальный район Туймазинский район", "туйма"),
    ("Муниципальный район «Туймазинский район» Республики Башкортостан", "туйма"),
    ("Пуровский район Ямало-Ненецкого автономного округа", "пуров"),
    ("Администрация Пуровского района", "пуров"),
    ("город Тюмень", "тюмен"),
    ("г. Тюмень", "тюмен"),
    ("городской округ город Череповец", "череп"),
    ("Белебеевский район", "белеб"),
    ("Усть-Ишимский муниципальный район", "усть ишимс"),
    ("Пушкинский городской округ", "пушки"),
    ("Ёлкинское сельское поселение", "елкин"),
    ("муниципальный район", None),
    ("", None),
    (None, None),
])
def test_municipality_key(name: Optional[str], key: Optional[str]) -> None:
    from pipeline.versions import municipality_key

    assert municipality_key(name) == key


MUNICIPAL = dict(region="RU-BA", number="123-од", date="2022-01-24", level="municipal")


def _municipal(seed: str, municipality: Optional[str], **fields) -> RoadmapDocument:
    return make_doc(seed, **{**MUNICIPAL, **fields}).model_copy(update={"municipality": municipality})


@pytest.mark.parametrize("first, second, renditions", [
    ("Туймазинский район", "Белебеевский район", False),          # two districts number their orders alike
    ("Туймазинский район", "муниципальный район Туймазинский район", True),  # one district, written two ways
    ("Туймазинский район", None, False),                          # not read: counted twice, never merged
    (None, None, True),
])
def test_municipal_acts_of_other_municipalities_are_not_renditions(
        store: Store, first: Optional[str], second: Optional[str], renditions: bool) -> None:
    a = _municipal("district-a", first, fmt="docx")
    b = _municipal("district-b", second, fmt="pdf")
    store.store_document(a, size=1)
    store.store_document(b, size=1)
    assert store.duplicate_of() == {a.id: None, b.id: a.id if renditions else None}
    assert (act_id(a) == act_id(b)) is renditions


def test_a_regional_act_keeps_its_act_id() -> None:
    """The act id of a regional act (the corrections' key) is what it was before municipal
    acts took their municipality into theirs."""
    from hashlib import sha256

    doc = make_doc("regional", region="RU-TYU", number="918/02", date="2021-12-30", level="regional")
    before = "act-" + sha256("\x1f".join(["RU-TYU", "918/02", "2021-12-30", "приказ", "regional"]).encode()).hexdigest()[:16]
    assert act_id(doc) == before


def test_a_district_amendment_does_not_supersede_another_district_act(store: Store) -> None:
    target = _municipal("district-a-act", "Туймазинский район")
    other = _municipal("district-b-act", "Белебеевский район", number="123-од")
    amendment = _municipal("district-b-amendment", "Белебеевский район", number="130-од", date="2022-03-01",
                           amends=[{"number": "123-од", "date": "2022-01-24"}])
    for doc in (target, other, amendment):
        store.store_document(doc, size=1)
    assert store.superseded_by() == {target.id: None, other.id: amendment.id, amendment.id: None}
