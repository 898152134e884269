"""Index-page parsing and crawling of the DHR Library (fixture site + the real saved page)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from _fetch_site import (
    FIXTURES,
    Site,
    fast_config,
    load_cards,
    new_site,
    real_library_page,
    render_card,
    render_page,
    serving,
)
from pytest_httpserver import HTTPServer

from extractor.fetch.client import PoliteClient
from extractor.fetch.library import (
    LayoutChanged,
    month_from_id,
    page_url,
    parse_index,
    parse_month,
)
from extractor.fetch.run import crawl_library

BASE = "https://library.example.test"


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    with serving() as running:
        yield running


@pytest.fixture
def site(server: HTTPServer) -> Site:
    return new_site(server)


# --------------------------------------------------------------------------- real page
def test_real_saved_page_parses_to_its_50_cards() -> None:
    found = real_library_page()
    if found is None:
        pytest.skip("shared realdata (saved Library page) not available")
    page_path, cards_path = found
    page = parse_index(page_path.read_text(encoding="utf-8"), base_url="https://homicide-review.homeoffice.gov.uk")
    with open(cards_path, encoding="utf-8", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert len(page.cards) == 50 == len(expected)
    assert page.total == 647 and (page.first, page.last) == (1, 50)
    for card, row in zip(page.cards, expected, strict=True):
        assert card.download_id == row["download_id"]
        assert card.title == row["title"]
        assert card.csp == row["csp"]
        assert card.csp_region == row["csp_region"]
        assert card.uploaded_on == row["uploaded_on"]
        assert card.date_of_death == row["date_of_death"]
        assert card.label == row["label"]
        assert card.href == row["download_url"]
        # The id's timestamp agrees with the month the card shows.
        assert month_from_id(card.download_id) == parse_month(row["uploaded_on"]) == card.uploaded


# --------------------------------------------------------------------------- fixture page
def test_fixture_page_fields_are_read_by_caption() -> None:
    cards = load_cards()
    page = parse_index(render_page(cards[:5], first=1, total=12), base_url=BASE)
    assert (page.first, page.last, page.total) == (1, 5, 12)
    assert [c.download_id for c in page.cards] == [c["download_id"] for c in cards[:5]]
    marigold = page.cards[1]
    assert marigold.title == "Marigold & Fen"  # entity decoded
    assert marigold.csp == "Eastbrook" and marigold.csp_region == "East"
    assert marigold.uploaded == "2026-03" and marigold.death_month == "2022-01"
    assert marigold.href == f"{BASE}/download/{cards[1]['download_id']}"
    assert page.cards[3].title == "Ollie O'Rourke"
    # "Not known" is kept as shown but yields no month.
    assert page.cards[2].date_of_death == "Not known" and page.cards[2].death_month is None


def test_restyled_and_reordered_card_is_still_understood() -> None:
    card = load_cards()[4]
    html = f"<html><body><p>Showing results 1 to 1 of 1</p>{render_card(card, 'restyled_card.html')}</body></html>"
    (parsed,) = parse_index(html).cards
    assert parsed.title == "Adult 1 and Adult 2"
    assert parsed.csp == "Westvale" and parsed.csp_region == "West Midlands"
    assert parsed.uploaded_on == "January 2026" and parsed.date_of_death == "May 2020"
    assert parsed.download_id == card["download_id"]


def test_upload_month_falls_back_to_the_id_and_is_cross_checked(caplog: pytest.LogCaptureFixture) -> None:
    cards = [dict(c) for c in load_cards()[:2]]
    cards[0]["uploaded_on"] = ""  # no value shown: use the id's timestamp
    cards[1]["uploaded_on"] = "May 2019"  # disagrees with the id (March 2026)
    with caplog.at_level("WARNING"):
        page = parse_index(render_page(cards, first=1, total=2))
    assert page.cards[0].uploaded_on is None and page.cards[0].uploaded == "2026-03"
    assert page.cards[1].uploaded == "2019-05"
    assert "its id encodes 2026-03" in caplog.text and cards[1]["download_id"] in caplog.text


def test_zero_results_page_is_empty_not_an_error() -> None:
    page = parse_index((FIXTURES / "empty.html").read_text(encoding="utf-8"))
    assert page.cards == [] and page.says_empty


def test_changed_page_shape_fails_loudly() -> None:
    with pytest.raises(LayoutChanged, match="changed shape") as info:
        parse_index((FIXTURES / "changed.html").read_text(encoding="utf-8"), url="http://x/?p=0")
    assert "http://x/?p=0" in str(info.value)


def test_caption_missing_from_every_card_fails_loudly() -> None:
    page = render_page(load_cards()[:3], first=1, total=3).replace(">CSP<", ">Partnership<")
    with pytest.raises(LayoutChanged, match="'csp' caption"):
        parse_index(page)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("February 2026", "2026-02"),
        ("  September\n 2018 ", "2018-09"),
        ("Sept 2019", "2019-09"),
        ("3 March 2021", "2021-03"),
        ("2020-7", "2020-07"),
        ("Not known", None),
        ("Smarch 2020", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_month(text: str | None, month: str | None) -> None:
    assert parse_month(text) == month


def test_month_from_id_reads_the_unix_time_prefix() -> None:
    assert month_from_id("69bd1aa03cf6fe13c306ed9c") == "2026-03"
    assert month_from_id("not-an-id") is None


def test_page_url_carries_page_size_and_sort() -> None:
    url = page_url(BASE + "/", 3, 100)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(BASE + "/?")
    assert query == {
        "pagination[pageNumber]": ["3"],
        "pagination[pageSize]": ["100"],
        "pagination[sortField]": ["uploadDate"],
        "pagination[sortDirection]": ["desc"],
    }


# --------------------------------------------------------------------------- crawling
def test_crawl_reads_every_page_in_order(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        cards = crawl_library(client, site.base_url, page_size=5)
        assert [c.download_id for c in cards] == [c["download_id"] for c in site.cards]
        assert site.calls["/"] == 3  # 5 + 5 + 2


def test_crawl_stops_at_limit_and_since(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        assert len(crawl_library(client, site.base_url, page_size=5, limit=3)) == 3
        assert site.calls["/"] == 1
        recent = crawl_library(client, site.base_url, page_size=5, since="2025-11")
        assert [c.uploaded for c in recent] == ["2026-03"] * 3 + ["2026-01"] * 2 + ["2025-12"] + ["2025-11"] * 2
        assert site.calls["/"] == 1 + 2  # the second page already reaches October 2025


def test_crawl_adapts_when_server_caps_page_size(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        site.max_page_size = 4
        cards = crawl_library(client, site.base_url, page_size=100)
        assert len(cards) == 12 and len({c.download_id for c in cards}) == 12
        assert site.calls["/"] == 3


def test_crawl_stops_when_server_ignores_pagination(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        site.index_html = render_page(site.cards[:5], first=1, total=40)
        cards = crawl_library(client, site.base_url, page_size=5)
        assert len(cards) == 5
        assert site.calls["/"] == 2
