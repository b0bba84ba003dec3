//! Browser-facing protections applied to every request: cross-site state changes are refused
//! before any handler runs, and every response carries the headers that keep browsers strict.
//! (Pages add their own Content-Security-Policy, bound to the render's nonce: `app::security`.)

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Path prefixes of the static site files (built WASM/JS/CSS, ECharts, icons).
const STATIC_PREFIXES: [&str; 3] = ["/pkg/", "/vendor/", "/favicon"];

/// Whether a request comes from another site, judged by the headers browsers always send with
/// cross-site requests: `Sec-Fetch-Site`, else `Origin` compared with `Host`. Requests with
/// neither (curl, servers) are not browser requests and are not judged here.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    // An opaque origin ("null") or one whose authority differs from Host is another site.
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    authority.is_none() || authority != host
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a state-changing request from another site with 403, before it reaches a handler.
/// Bearer-token calls are exempt: browsers never attach those on their own.
pub async fn refuse_cross_site(request: Request<Body>, next: Next) -> Response {
    let headers = request.headers();
    if !is_safe_method(request.method())
        && crate::auth::bearer_token(headers).is_none()
        && is_cross_site(headers)
    {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not allowed.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Adds `nosniff`, a strict referrer policy, framing refusal and caching rules to every response:
/// pages and API answers are never stored (they will carry personal data once users sign in);
/// static files are revalidated, since their names carry no content hash.
pub async fn security_headers(request: Request<Body>, next: Next) -> Response {
    let is_static = STATIC_PREFIXES
        .iter()
        .any(|prefix| request.uri().path().starts_with(prefix));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let cache = if is_static { "no-cache" } else { "no-store" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_the_browser_sends_it() {
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn otherwise_the_origin_must_match_the_host() {
        let same = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        let other = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        let opaque = headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]);
        assert!(!is_cross_site(&same));
        assert!(is_cross_site(&other));
        assert!(is_cross_site(&opaque));
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
