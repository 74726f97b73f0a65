from __future__ import annotations

from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from kyc.review.decisions import list_hits
from tests.conftest import decided


def test_queue_lists_open_hits_best_first(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    with loaded.sessions() as session:
        hits = list_hits(session)
    assert {h.entry_id for h in hits} == {"900003", "900001"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    sokolov = next(h for h in hits if h.entry_id == "900001")
    assert sokolov.subject_name == "Viktor Sokolov" and sokolov.subject_kind == "person"


def test_a_hit_shows_the_list_entry_its_decisions_and_its_history(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    first = review_jobs.hits(loaded, "open")[0]
    decided(loaded, first.id, "false_positive", "other birth date")
    hit, history = review_jobs.hit(loaded, first.id)
    assert hit.entry is not None and hit.entry.entry_id == hit.entry_id
    assert hit.list_published_at is not None
    [decision] = hit.decisions
    assert (decision.reviewer, decision.approver, decision.status) == ("ana", "bob", "approved")
    assert decision.reason == "other birth date"
    assert [step.action for step in history] == ["hit.opened", "hit.proposed", "hit.decided"]
    assert [step.actor for step in history][1:] == ["ana", "bob"]
    assert hit.to_dict()["entry"]["entry_id"] == hit.entry_id


def test_a_hit_shows_what_the_customer_record_says_beside_the_name(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hits = {h.entry_id: h for h in review_jobs.hits(loaded, "open")}
    person, _ = review_jobs.hit(loaded, hits["900001"].id)
    assert person.subject_facts == (("Born", "1961-03-14"), ("Nationality", "RU"))
    company, _ = review_jobs.hit(loaded, hits["900003"].id)
    facts = dict(company.subject_facts)
    assert facts["Enterprise number"].count(".") == 2 and facts["Country"] == "BE"
    # A queue line carries none of it: the queue reads only what it shows.
    assert review_jobs.hits(loaded, "open")[0].subject_facts == ()
