//! Money as text and back: integer minor units in a currency's own exponent (0 for JPY, 2 for USD,
//! 3 for KWD, as Stripe counts them), never through floats.

/// Currencies without minor units (Stripe's list of zero-decimal currencies).
const ZERO_DECIMAL: [&str; 16] = [
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// Currencies with three decimals (Stripe's list of three-decimal currencies).
const THREE_DECIMAL: [&str; 5] = ["bhd", "jod", "kwd", "omr", "tnd"];

/// How many decimals the currency's minor unit has: `jpy` → 0, `usd` → 2, `kwd` → 3.
pub fn exponent(currency: &str) -> u32 {
    let c = currency.to_ascii_lowercase();
    if ZERO_DECIMAL.contains(&c.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&c.as_str()) {
        3
    } else {
        2
    }
}

/// `123456` usd → `1,234.56 USD`; `-500` → `-5.00 USD`; `1500` jpy → `1,500 JPY`.
pub fn money(minor: i64, currency: &str) -> String {
    let code = currency.to_uppercase();
    let sign = if minor < 0 { "-" } else { "" };
    let scale = 10u64.pow(exponent(currency));
    let m = minor.unsigned_abs();
    let digits = (m / scale).to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match exponent(currency) {
        0 => format!("{sign}{grouped} {code}"),
        e => format!("{sign}{grouped}.{:0w$} {code}", m % scale, w = e as usize),
    }
}

/// An amount typed in the currency's major units → minor units: `12.50` usd → 1250, `500` jpy →
/// 500, `1250c` → 1250 (already minor units). More decimals than the currency has is refused.
pub fn parse_amount(s: &str, currency: &str) -> Result<i64, crate::domain::Refusal> {
    let code = currency.to_uppercase();
    let bad = || {
        crate::domain::Refusal::new(format!(
            "{s:?} is not an amount like 12.50 (or 1250c in minor units)"
        ))
    };
    if let Some(minor) = s.strip_suffix('c') {
        return minor.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(bad);
    }
    let exp = exponent(currency) as usize;
    let (units, decimals) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(decimals) || s.ends_with('.') {
        return Err(bad());
    }
    if decimals.len() > exp {
        return Err(crate::domain::Refusal::new(format!(
            "{s:?} has more decimals than {code} has ({exp}); give the amount in {code}"
        )));
    }
    let frac: i64 = format!("{decimals:0<exp$}").parse().unwrap_or(0);
    let v = units
        .parse::<i64>()
        .ok()
        .and_then(|u| u.checked_mul(10i64.pow(exp as u32)))
        .and_then(|u| u.checked_add(frac))
        .ok_or_else(bad)?;
    if v > 0 { Ok(v) } else { Err(bad()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_grouped_in_the_currency_s_exponent() {
        assert_eq!(money(123_456_789, "usd"), "1,234,567.89 USD");
        assert_eq!(money(-505, "eur"), "-5.05 EUR");
        assert_eq!(money(1500, "jpy"), "1,500 JPY");
        assert_eq!(money(1500, "JPY"), "1,500 JPY");
        assert_eq!(money(1234, "kwd"), "1.234 KWD");
        assert_eq!(money(0, "usd"), "0.00 USD");
    }

    #[test]
    fn amounts_parse_in_the_currency_s_exponent_without_floats() {
        assert_eq!(parse_amount("12.50", "usd"), Ok(1250));
        assert_eq!(parse_amount("12.5", "usd"), Ok(1250));
        assert_eq!(parse_amount("12", "usd"), Ok(1200));
        assert_eq!(parse_amount("1250c", "usd"), Ok(1250));
        assert_eq!(parse_amount("500", "jpy"), Ok(500));
        assert_eq!(parse_amount("1.5", "kwd"), Ok(1500));
        let e = parse_amount("5.5", "jpy").unwrap_err();
        assert!(e.0.contains("more decimals than JPY has (0)"), "{e}");
        assert!(
            parse_amount("12.505", "usd")
                .unwrap_err()
                .0
                .contains("USD has (2)")
        );
        for bad in [
            "-3",
            "0",
            "ten",
            ".5",
            "1e3",
            "12,50",
            "5.",
            "99999999999999999999",
        ] {
            assert!(parse_amount(bad, "usd").is_err(), "{bad}");
        }
    }
}
