#!/usr/bin/env python3
"""Checks Warta's RSS/Atom feeds with feedparser, or its sitemaps with --sitemap.

    python3 scripts/check-feeds.py URL [URL...]            feeds (RSS 2.0 or Atom)
    python3 scripts/check-feeds.py --sitemap URL [URL...]  sitemaps and Google News sitemaps

Feeds: each URL is fetched with urllib and parsed with feedparser; it fails when feedparser
flags it as malformed (bozo), when the feed has no title or no entries, or when an entry lacks
a title, a link or a parseable published date (Atom may use updated instead).
Sitemaps: the XML must be a <urlset> or <sitemapindex> in the sitemaps.org namespace, every
<loc> an absolute http(s) URL; a Google News sitemap needs news:news with news:publication
(news:name, news:language), news:publication_date and news:title in every <url>.

Prints "ok  URL  kind  N entries" per good URL, "FAIL  URL  reason" per bad one, and exits 1
if any URL failed. Feed mode needs feedparser (Debian: apt-get install -y python3-feedparser);
sitemap mode uses only the standard library.
"""

import os
import re
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# W3C datetime, as sitemaps and Google News want it: a date, optionally a time with a zone.
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
MAX_SHOWN = 5  # problems listed per URL


class Failed(Exception):
    pass


def import_feedparser():
    """feedparser, re-running under Debian's python3 if this interpreter (pyenv...) lacks it."""
    try:
        import feedparser
        return feedparser
    except ImportError:
        debian = "/usr/bin/python3"
        if (os.path.exists(debian) and not os.environ.get("CHECK_FEEDS_REEXEC")
                and os.path.realpath(sys.executable) != os.path.realpath(debian)):
            os.environ["CHECK_FEEDS_REEXEC"] = "1"
            os.execv(debian, [debian, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("check-feeds: feedparser is missing (apt-get install -y python3-feedparser)")


def fetch(url):
    req = urllib.request.Request(url, headers={"User-Agent": "warta-check-feeds/1"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        raise Failed(f"HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        raise Failed(f"fetch failed: {getattr(e, 'reason', e)}") from None


def problems_summary(problems):
    more = len(problems) - MAX_SHOWN
    return "; ".join(problems[:MAX_SHOWN]) + (f"; ... and {more} more" if more > 0 else "")


def check_feed(feedparser, url):
    body, headers = fetch(url)
    # The headers let feedparser compare the declared content type and charset with the body.
    d = feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()})
    if d.bozo:
        exc = d.bozo_exception
        raise Failed(f"feedparser bozo: {type(exc).__name__}: {exc}")
    if not d.feed.get("title", "").strip():
        raise Failed(f"feed has no title ({d.version or 'unknown format'})")
    if not d.entries:
        raise Failed(f"feed has no entries ({d.version or 'unknown format'})")
    atom = d.version.startswith("atom")
    problems = []
    for i, e in enumerate(d.entries, 1):
        where = e.get("link") or e.get("id")
        name = f"entry {i}" + (f" ({where})" if where else "")
        missing = [k for k in ("title", "link") if not e.get(k, "").strip()]
        date_key = "published" if e.get("published") or not atom else "updated"
        if not e.get(date_key):
            missing.append("published" + (" or updated" if atom else ""))
        elif not e.get(date_key + "_parsed"):
            problems.append(f"{name}: unparseable {date_key} {e.get(date_key)!r}")
        if missing:
            problems.append(f"{name}: no {', no '.join(missing)}")
    if problems:
        raise Failed(problems_summary(problems))
    return f"{d.version}  {len(d.entries)} entries"


def absolute_http(loc):
    u = urlparse(loc)
    return u.scheme in ("http", "https") and bool(u.netloc)


def text(el, path):
    found = el.find(path)
    return (found.text or "").strip() if found is not None else ""


def check_sitemap(url):
    body, _ = fetch(url)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise Failed(f"not well-formed XML: {e}") from None
    kind = root.tag.removeprefix(SM)
    if root.tag not in (SM + "urlset", SM + "sitemapindex"):
        raise Failed(f"root element is {root.tag}, not urlset or sitemapindex in {SM[1:-1]}")
    child = SM + ("url" if kind == "urlset" else "sitemap")
    items = root.findall(child)
    news = kind == "urlset" and root.find(f".//{NEWS}news") is not None
    problems = []
    if len(items) > 50000 or len(body) > 50 * 1024 * 1024:
        problems.append(f"{len(items)} entries, {len(body)} bytes: over the 50,000 / 50 MB limit")
    for i, item in enumerate(items, 1):
        loc = text(item, SM + "loc")
        name = f"{child.removeprefix(SM)} {i}" + (f" ({loc})" if loc else "")
        if not loc:
            problems.append(f"{name}: no <loc>")
        elif not absolute_http(loc):
            problems.append(f"{name}: <loc> is not an absolute http(s) URL")
        lastmod = text(item, SM + "lastmod")
        if lastmod and not W3C_DATE.match(lastmod):
            problems.append(f"{name}: <lastmod> {lastmod!r} is not a W3C datetime")
        if news:
            problems += [f"{name}: {p}" for p in news_problems(item)]
    others = sorted({el.tag for el in root if el.tag != child})
    if others:
        problems.append(f"unexpected elements in <{kind}>: {', '.join(others)}")
    if problems:
        raise Failed(problems_summary(problems))
    return f"{kind}{' (Google News)' if news else ''}  {len(items)} {child.removeprefix(SM)}s"


def news_problems(item):
    n = item.find(NEWS + "news")
    if n is None:
        return ["no news:news"]
    out = []
    pub = n.find(NEWS + "publication")
    if pub is None:
        out.append("no news:publication")
    else:
        if not text(pub, NEWS + "name"):
            out.append("no news:publication/news:name")
        lang = text(pub, NEWS + "language")
        if not lang:
            out.append("no news:publication/news:language")
        elif not re.fullmatch(r"[a-z]{2,3}(-[a-z]{2,4})?", lang):
            out.append(f"news:language {lang!r} is not an ISO 639 code")
    date = text(n, NEWS + "publication_date")
    if not date:
        out.append("no news:publication_date")
    elif not W3C_DATE.match(date):
        out.append(f"news:publication_date {date!r} is not a W3C datetime")
    if not text(n, NEWS + "title"):
        out.append("no news:title")
    return out


def main(argv):
    sitemap = "--sitemap" in argv
    urls = [a for a in argv if a != "--sitemap"]
    if not urls or any(u.startswith("-") for u in urls):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    feedparser = None if sitemap else import_feedparser()
    failed = 0
    for url in urls:
        try:
            result = check_sitemap(url) if sitemap else check_feed(feedparser, url)
            print(f"ok  {url}  {result}", flush=True)
        except Failed as e:
            failed += 1
            print(f"FAIL  {url}  {e}", file=sys.stderr, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
