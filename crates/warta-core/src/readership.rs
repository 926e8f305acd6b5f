//! Who counts as a reader: page views from crawlers, monitors and scripts are left out of "most
//! read", judged by the User-Agent header (the convention every crawler follows).

/// Lower-case fragments of User-Agent strings that mark automated clients.
const AUTOMATED: [&str; 26] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "preview",
    "monitor",
    "curl",
    "wget",
    // python-requests, python-urllib, python-httpx, aiohttp's "Python/3.x aiohttp".
    "python",
    "httpclient",
    "go-http-client",
    "okhttp",
    "java/",
    "node",
    "undici",
    "axios",
    "httpx",
    "scrapy",
    "libwww",
    "guzzle",
    "reqwest",
    "lighthouse",
    "headless",
    "wrk",
    "oha/",
];

/// Search engines that get the full text of members-only articles (marked as paywalled
/// content, as Google documents) so the articles can be found.
const SEARCH_CRAWLERS: [&str; 4] = [
    "googlebot",
    "bingbot",
    "google-inspectiontool",
    "duckduckbot",
];

/// Whether a request comes from a search engine's crawler (by User-Agent; Google recommends
/// confirming by reverse DNS, which Warta does not do, so a spoofed agent can read the text).
pub fn search_crawler(user_agent: Option<&str>) -> bool {
    user_agent
        .map(str::to_ascii_lowercase)
        .is_some_and(|agent| SEARCH_CRAWLERS.iter().any(|bot| agent.contains(bot)))
}

/// Whether a request with this User-Agent should count as a reader's view.
pub fn counts_as_reader(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::to_ascii_lowercase) else {
        return false;
    };
    !agent.trim().is_empty() && !AUTOMATED.iter().any(|mark| agent.contains(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_count_and_crawlers_do_not() {
        assert!(counts_as_reader(Some(
            "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
        )));
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "Python-urllib/3.11",
            "Java/17.0.15",
            "node",
            "axios/1.6.0",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120",
            "",
        ] {
            assert!(!counts_as_reader(Some(agent)), "{agent}");
        }
        assert!(!counts_as_reader(None));
    }
}
