//! Durations for people: `3m`, `2h 5m`, `4d 0h`, as cards, commands and the assistant show them.

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
}
