//! Durations for people: `3m`, `2h 5m`, `4d 0h`, as cards, commands and the assistant show them, and
//! `30m`, `2h`, `90d` as people type them.

/// `3m`, `2h 5m`, `4d` — ages and durations for people.
pub fn human_duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86400, (s % 86400) / 3600),
    }
}

/// `45s`, `30m`, `2h`, `1d` → milliseconds.
pub fn parse_duration(s: &str) -> Result<i64, crate::domain::Refusal> {
    let (n, unit) = s.trim().split_at(
        s.trim()
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(s.trim().len()),
    );
    let n: i64 = n
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 30m, 2h or 1d"))?;
    let ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => {
            return Err(crate::domain::Refusal::new(format!(
                "{s:?} is not a duration like 30m, 2h or 1d"
            )));
        }
    };
    Ok(n * ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(42_000), "42s");
        assert_eq!(human_duration(3 * 60_000), "3m");
        assert_eq!(human_duration(2 * 3_600_000 + 5 * 60_000), "2h 5m");
        assert_eq!(human_duration(4 * 86_400_000), "4d 0h");
        assert_eq!(human_duration(-5), "0s");
    }

    #[test]
    fn durations_parse_with_their_unit() {
        assert_eq!(parse_duration("30m"), Ok(1_800_000));
        assert_eq!(parse_duration("2h"), Ok(7_200_000));
        assert_eq!(parse_duration("90d"), Ok(90 * 86_400_000));
        assert!(
            parse_duration("2 weeks")
                .unwrap_err()
                .0
                .contains("not a duration")
        );
        assert!(parse_duration("h").is_err());
    }
}
