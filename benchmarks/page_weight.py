"""Bytes over the wire for a first visit: the home page, a topic page and a content page.

Loads each page in Debian's chromium with an empty cache (a fresh browser context), waits until
the network is idle (lazy images in view included), and prints every request with the bytes it
transferred (headers and compressed body, from the DevTools protocol), then a total per page.

    .venv/bin/python benchmarks/page_weight.py [http://127.0.0.1:8000/fi/] [--viewport 800x1280]

The topic page is the home page's first topic tile, the content page that topic's first card,
so the script works on any library, not only the demo.
"""

import argparse
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOME_BUDGET = 100 * 1024


def measure(browser, url, viewport):
    """Requests of one cold page load: a list of (url, resource type, bytes transferred)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    requests, sizes = {}, {}

    def sent(event):
        requests[event["requestId"]] = (event["request"]["url"], event.get("type", ""))

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    links = {
        "topic": page.eval_on_selector_all(".tile", "els => els.map(e => e.href)"),
        "content": page.eval_on_selector_all(".card__title a", "els => els.map(e => e.href)"),
    }
    context.close()
    rows = [
        (*requests[key], size)
        for key, size in sizes.items()
        if key in requests and not requests[key][0].startswith("data:")  # the player's own icons
    ]
    return rows, links


def print_table(title, url, rows):
    base = urlsplit(url)
    print(f"\n{title}: {url}")
    print(f"  {'type':<11} {'bytes':>9}  request")
    for request_url, kind, size in rows:
        parts = urlsplit(request_url)
        shown = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc != base.netloc:
            shown = request_url  # another host: it should not happen, so show it whole
        print(f"  {kind:<11} {size:>9,}  {shown[:90]}")
    total = sum(size for *_, size in rows)
    print(f"  {'total':<11} {total:>9,}  ({len(rows)} requests, {total / 1024:.1f} KiB)")
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000/fi/")
    parser.add_argument("--viewport", default="800x1280", help="WIDTHxHEIGHT in CSS px")
    args = parser.parse_args()
    width, height = (int(n) for n in args.viewport.split("x"))
    viewport = {"width": width, "height": height}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        totals = {}
        rows, links = measure(browser, args.url, viewport)
        totals["home"] = print_table("Home page", args.url, rows)
        if links["topic"]:
            topic_url = urljoin(args.url, links["topic"][0])
            rows, topic_links = measure(browser, topic_url, viewport)
            totals["topic"] = print_table("Topic page", topic_url, rows)
            if topic_links["content"]:
                content_url = urljoin(args.url, topic_links["content"][0])
                rows, _ = measure(browser, content_url, viewport)
                totals["content"] = print_table("Content page", content_url, rows)
        browser.close()

    print(f"\n{'page':<8} {'bytes':>9}")
    for name, total in totals.items():
        print(f"{name:<8} {total:>9,}")
    verdict = "within" if totals["home"] <= HOME_BUDGET else "OVER"
    print(f"Home page {verdict} the {HOME_BUDGET // 1024} KiB budget.")


if __name__ == "__main__":
    main()
