//! The Content-Security-Policy of rendered pages (server only).
//!
//! Leptos gives each server render a fresh nonce and puts it on every inline script it writes
//! (the hydration loader, resolved resources); the policy allows scripts from the site itself and
//! those inline scripts only, and the WASM module via `'wasm-unsafe-eval'`. Everything else the
//! pages load (CSS, ECharts, images) comes from the site itself.

use leptos::prelude::*;

/// The policy for a page rendered with `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; \
         img-src 'self' data:; \
         connect-src 'self'; \
         font-src 'self'; \
         object-src 'none'; \
         base-uri 'none'; \
         form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Sets the policy header on the response being rendered, bound to this render's nonce.
pub fn apply_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce.to_string())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn the_policy_allows_only_the_sites_own_and_nonced_scripts() {
        let policy = content_security_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
        ] {
            assert!(policy.contains(directive), "missing {directive}");
        }
    }
}
