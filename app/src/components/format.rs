//! Formatting of numbers and dates for display, identical on server and browser so that
//! hydration never disagrees with the server's HTML.

use chrono::NaiveDate;

/// A whole-currency amount with thousands separators: `$1,234,567`.
pub fn money(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}${grouped}")
}

/// A count with thousands separators: `100,000`.
pub fn count(n: i64) -> String {
    money(n).replacen('$', "", 1)
}

/// A calendar date as users read it: `4 Dec 2026`.
pub fn date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// An optional date, or a dash.
pub fn opt_date(day: Option<NaiveDate>) -> String {
    day.map(date).unwrap_or_else(|| "–".to_string())
}

/// An RFC 3339 UTC timestamp as users read it: `4 Dec 2026, 14:05 UTC` (the raw text if it does
/// not parse).
pub fn timestamp(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// Percent-encodes a URL query component (RFC 3986 unreserved characters pass through).
pub fn url_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0), "$0");
        assert_eq!(money(999), "$999");
        assert_eq!(money(1_000), "$1,000");
        assert_eq!(money(1_234_567), "$1,234,567");
        assert_eq!(money(-25_000), "-$25,000");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(timestamp("2026-12-04T14:05:09Z"), "4 Dec 2026, 14:05 UTC");
    }

    #[test]
    fn dates_read_day_month_year() {
        let day: NaiveDate = "2026-12-04".parse().expect("date");
        assert_eq!(date(day), "4 Dec 2026");
        assert_eq!(opt_date(None), "–");
    }

    #[test]
    fn url_components_escape_everything_but_unreserved_characters() {
        assert_eq!(
            url_component("/accounts?q=a b&x"),
            "%2Faccounts%3Fq%3Da%20b%26x"
        );
        assert_eq!(url_component("Az09-_.~"), "Az09-_.~");
    }
}
