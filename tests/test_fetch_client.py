"""The polite client: identification, pacing, timeouts, retries, Retry-After, redirects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from _fetch_site import Site, fast_config, new_site, redirect, running_site, serving, slow, status
from pytest_httpserver import HTTPServer

from extractor._version import __version__
from extractor.errors import FetchError
from extractor.fetch.client import ClientConfig, PoliteClient, parse_retry_after


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    with serving() as running:
        yield running


@pytest.fixture
def site(server: HTTPServer) -> Site:
    return new_site(server)


class FakeTime:
    """A clock that only moves when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_user_agent_names_tool_and_version(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        client.get_text(site.url("/"))
        (agent,) = site.user_agents
        assert agent.startswith(f"dhr-extract/{__version__} (")


def test_delay_between_requests_is_enforced(site: Site) -> None:
    fake = FakeTime()
    config = fast_config(delay=1.5, sleep=fake.sleep, clock=fake.clock)
    with PoliteClient(config) as client:
        for _ in range(3):
            client.get_text(site.url("/"))
    assert fake.sleeps == [1.5, 1.5]


def test_default_delay_is_at_least_one_second() -> None:
    assert ClientConfig().delay >= 1.0
    assert ClientConfig().connect_timeout > 0 and ClientConfig().read_timeout > 0


def test_timeout_is_retried_then_succeeds(site: Site) -> None:
    with PoliteClient(fast_config(read_timeout=0.2)) as client:
        site.fault("/", slow(0.6))
        assert "Showing results" in client.get_text(site.url("/"))
        assert site.calls["/"] == 2


def test_persistent_timeout_gives_up_with_clear_reason(site: Site) -> None:
    with PoliteClient(fast_config(read_timeout=0.2, retries=1)) as client:
        site.fault("/", slow(0.5), slow(0.5))
        with pytest.raises(FetchError, match=r"timed out .*gave up after 2 attempts"):
            client.get_text(site.url("/"))
        assert site.calls["/"] == 2


def test_500_then_success(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        site.fault("/", status(500))
        assert "Showing results" in client.get_text(site.url("/"))
        assert site.calls["/"] == 2


def test_persistent_503_names_status(site: Site) -> None:
    with PoliteClient(fast_config(retries=2)) as client:
        site.fault("/", *[status(503)] * 3)
        with pytest.raises(FetchError, match=r"HTTP 503 .*gave up after 3 attempts"):
            client.get_text(site.url("/"))
        assert site.calls["/"] == 3


@pytest.mark.parametrize("code", [400, 403, 404, 410])
def test_other_4xx_are_not_retried(site: Site, code: int) -> None:
    with PoliteClient(fast_config()) as client:
        site.fault("/", status(code))
        with pytest.raises(FetchError, match=f"HTTP {code}"):
            client.get_text(site.url("/"))
        assert site.calls["/"] == 1


def test_429_honours_retry_after(site: Site) -> None:
    fake = FakeTime()
    config = fast_config(sleep=fake.sleep, clock=fake.clock, retry_after_max=60.0)
    with PoliteClient(config) as client:
        site.fault("/", status(429, {"Retry-After": "7"}))
        client.get_text(site.url("/"))
        assert site.calls["/"] == 2
    assert fake.sleeps == [7.0]


def test_retry_after_is_capped(site: Site) -> None:
    fake = FakeTime()
    config = fast_config(sleep=fake.sleep, clock=fake.clock, retry_after_max=30.0)
    with PoliteClient(config) as client:
        site.fault("/", status(429, {"Retry-After": "86400"}))
        client.get_text(site.url("/"))
    assert fake.sleeps == [30.0]


def test_backoff_grows_exponentially(site: Site) -> None:
    fake = FakeTime()
    config = fast_config(sleep=fake.sleep, clock=fake.clock, backoff=1.0, backoff_max=100.0, retries=3)
    with PoliteClient(config) as client:
        site.fault("/", status(502), status(502), status(502))
        client.get_text(site.url("/"))
    assert fake.sleeps == [1.0, 2.0, 4.0]


def test_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    value = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(value, now=now.timestamp()) == pytest.approx(90)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None


def test_redirect_is_followed_once_safe(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        site.routes["/moved"] = redirect("/")
        assert "Showing results" in client.get_text(site.url("/moved"))


def test_redirect_loop_is_a_clear_error_without_retries(site: Site) -> None:
    with PoliteClient(fast_config()) as client:
        site.routes["/a"] = redirect("/b")
        site.routes["/b"] = redirect("/a")
        with pytest.raises(FetchError, match="redirect loop") as info:
            client.get_text(site.url("/a"))
        assert site.calls["/a"] == 1 and site.calls["/b"] == 1
        assert "/a" in str(info.value)


def test_too_many_redirects(site: Site) -> None:
    with PoliteClient(fast_config(max_redirects=3)) as client:
        for n in range(6):
            site.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
        with pytest.raises(FetchError, match="too many redirects"):
            client.get_text(site.url("/r0"))


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://files.example.test/a.pdf", "javascript:alert(1)"])
def test_redirect_to_non_http_scheme_is_refused(site: Site, target: str) -> None:
    with PoliteClient(fast_config()) as client:
        site.routes["/go"] = redirect(target)
        with pytest.raises(FetchError, match="refusing redirect to (an invalid URL|unsupported scheme)"):
            client.get_text(site.url("/go"))


def test_connection_refused_is_retried_then_reported() -> None:
    with running_site() as site:
        dead = site.base_url
    with PoliteClient(fast_config(retries=1, connect_timeout=0.5)) as client:
        with pytest.raises(FetchError, match="gave up after 2 attempts"):
            client.get_text(dead + "/")
        assert client.requests == 2
