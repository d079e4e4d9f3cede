//! Where a visitor came from, reduced to a class.
//!
//! Its one job is [`classify_referrer`]: it looks at the referrer's host only, against the
//! page's own host and a small built-in list of search engines and social networks. The full
//! referrer URL (which can carry search terms or private paths) is never kept or returned:
//! only the [`ReferrerClass`] leaves this module.

use super::url::{host_of, normalize_host};
use serde::Serialize;

/// Search engines, as host patterns (see [`host_matches`]).
pub const SEARCH_ENGINES: &[&str] = &[
    "google.",
    "bing.",
    "duckduckgo.",
    "yahoo.",
    "baidu.",
    "yandex.",
    "ecosia.",
    "qwant.",
    "startpage.",
];

/// Social networks, as host patterns (see [`host_matches`]).
pub const SOCIAL_NETWORKS: &[&str] = &[
    "facebook.",
    "instagram.",
    "t.co",
    "twitter.",
    "x.com",
    "linkedin.",
    "lnkd.in",
    "reddit.",
    "pinterest.",
    "tiktok.",
    "youtube.",
    "youtu.be",
    "mastodon.",
    "bsky.app",
    "threads.net",
];

/// The kind of place a visit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReferrerClass {
    /// A search engine.
    Search,
    /// A social network.
    Social,
    /// No referrer: typed, bookmarked, or withheld by referrer policy.
    Direct,
    /// The site itself (the same host, or a subdomain either way).
    Internal,
    /// Any other site, or a referrer that could not be read.
    Other,
}

impl ReferrerClass {
    /// Every class, in the order of [`ReferrerClass::as_str`]'s names.
    pub const ALL: [ReferrerClass; 5] = [
        ReferrerClass::Search,
        ReferrerClass::Social,
        ReferrerClass::Direct,
        ReferrerClass::Internal,
        ReferrerClass::Other,
    ];

    /// The name it is serialized with: `search`, `social`, `direct`, `internal`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferrerClass::Search => "search",
            ReferrerClass::Social => "social",
            ReferrerClass::Direct => "direct",
            ReferrerClass::Internal => "internal",
            ReferrerClass::Other => "other",
        }
    }
}

/// Whether `host` matches `pattern`: a pattern ending in `.` is a label prefix (`google.`
/// matches `google.de` and `www.google.co.uk`); any other pattern is a domain (`t.co` matches
/// `t.co` and its subdomains, not `art.co`).
pub fn host_matches(host: &str, pattern: &str) -> bool {
    if pattern.ends_with('.') {
        // Any label of `host` that starts with `pattern` (char patterns only: a substring
        // search would pull a large searcher into the wasm).
        let label_starts = std::iter::once(0).chain(
            host.char_indices()
                .filter(|&(_, c)| c == '.')
                .map(|(i, _)| i + 1),
        );
        label_starts.into_iter().any(|start| {
            host.get(start..)
                .is_some_and(|rest| rest.starts_with(pattern))
        })
    } else {
        is_same_or_subdomain(host, pattern)
    }
}

/// `host` equals `domain` or is one of its subdomains.
fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// The host without a leading `www.`, so that `www.shop.example` and `blog.shop.example` are
/// one site.
fn site_of(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// Classifies `document.referrer` for a page served from `page_host` (`location.host`),
/// by host only. Empty is [`ReferrerClass::Direct`]; unreadable is [`ReferrerClass::Other`].
pub fn classify_referrer(referrer_url: &str, page_host: &str) -> ReferrerClass {
    if referrer_url.trim().is_empty() {
        return ReferrerClass::Direct;
    }
    let Some(host) = host_of(referrer_url) else {
        return ReferrerClass::Other;
    };
    let page = normalize_host(page_host);
    let (site, page_site) = (site_of(&host), site_of(&page));
    if !page_site.is_empty()
        && (is_same_or_subdomain(site, page_site) || is_same_or_subdomain(page_site, site))
    {
        ReferrerClass::Internal
    } else if SEARCH_ENGINES.iter().any(|p| host_matches(&host, p)) {
        ReferrerClass::Search
    } else if SOCIAL_NETWORKS.iter().any(|p| host_matches(&host, p)) {
        ReferrerClass::Social
    } else {
        ReferrerClass::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferrerClass::*;

    fn class(referrer: &str) -> ReferrerClass {
        classify_referrer(referrer, "www.shop.example")
    }

    #[test]
    fn an_empty_referrer_is_direct() {
        assert_eq!(class(""), Direct);
        assert_eq!(class("   "), Direct);
    }

    #[test]
    fn the_same_site_and_its_subdomains_are_internal() {
        assert_eq!(class("https://www.shop.example/cart?id=1"), Internal);
        assert_eq!(class("https://shop.example/"), Internal);
        assert_eq!(class("https://blog.shop.example/post"), Internal);
        assert_eq!(
            classify_referrer("https://shop.example/", "m.shop.example:8080"),
            Internal
        );
        assert_eq!(class("https://evilshop.example/"), Other);
        assert_eq!(class("https://shop.example.evil.com/"), Other);
    }

    #[test]
    fn search_engines_are_recognised_by_domain_only() {
        for url in [
            "https://www.google.com/search?q=private+words",
            "https://google.co.uk/",
            "https://www.bing.com/",
            "https://duckduckgo.com/",
            "https://search.yahoo.com/",
            "https://yandex.ru/",
            "https://www.ecosia.org/",
            "https://www.qwant.com/",
            "https://www.startpage.com/",
            "https://www.baidu.com/",
        ] {
            assert_eq!(class(url), Search, "{url}");
        }
    }

    #[test]
    fn social_networks_are_recognised_by_domain_only() {
        for url in [
            "https://t.co/abc",
            "https://l.facebook.com/l.php?u=x",
            "https://www.instagram.com/",
            "https://x.com/someone",
            "https://twitter.com/",
            "https://www.linkedin.com/",
            "https://old.reddit.com/r/x",
            "https://www.youtube.com/",
            "https://mastodon.social/@a",
            "https://bsky.app/profile/a",
            "https://www.threads.net/",
            "https://www.pinterest.com/pin/1",
            "https://www.tiktok.com/@a",
        ] {
            assert_eq!(class(url), Social, "{url}");
        }
    }

    #[test]
    fn lookalike_and_unreadable_referrers_are_other() {
        assert_eq!(class("https://notreddit.com/"), Other);
        assert_eq!(class("https://notgoogle.com/"), Other);
        assert_eq!(class("https://notx.com/"), Other);
        assert_eq!(class("https://news.example.org/"), Other);
        assert_eq!(class("not a url"), Other);
    }

    #[test]
    fn the_site_itself_wins_over_the_lists() {
        assert_eq!(
            classify_referrer("https://www.google.com/maps", "google.com"),
            Internal
        );
    }

    #[test]
    fn classes_serialize_as_their_lowercase_names() {
        for class in ReferrerClass::ALL {
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
        }
    }
}
