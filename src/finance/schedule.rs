//! Calendar arithmetic in the finance time zone: when a cron schedule last fired, local midnights, and
//! the periods `/ops finance` and the digests cover.

use crate::domain::Millis;
use chrono::{Datelike, Duration, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// A schedule's latest firing at or before `now` and after `now - grace`, if any: a replica that was down
/// at 08:00 still sends the 08:00 digest at 08:20, but not a stale one from last week.
pub fn due(cron: &str, tz: Tz, now: Millis, grace: Millis) -> Option<Millis> {
    if cron.is_empty() {
        return None;
    }
    let c = cron.parse::<croner::Cron>().ok()?;
    let start = tz.timestamp_millis_opt(now - grace).single()?;
    let next = c.find_next_occurrence(&start, false).ok()?;
    let at = next.timestamp_millis();
    // The latest firing in the window: step forward while the next one is still not after `now`.
    let mut last = (at <= now).then_some(at)?;
    while let Ok(n) = c.find_next_occurrence(&tz.timestamp_millis_opt(last).single()?, false) {
        if n.timestamp_millis() > now {
            break;
        }
        last = n.timestamp_millis();
    }
    Some(last)
}

/// The local midnight that starts the day `t` falls in.
pub fn midnight(tz: Tz, t: Millis) -> Millis {
    let local = tz
        .timestamp_millis_opt(t)
        .single()
        .expect("a valid timestamp")
        .date_naive();
    tz.from_local_datetime(&local.and_time(NaiveTime::MIN))
        .earliest()
        .map_or(t, |d| d.timestamp_millis())
}

/// `today`, `week` (since Monday) or `month` (since the 1st), up to `now`.
pub fn period(tz: Tz, name: &str, now: Millis) -> Result<(Millis, Millis), crate::domain::Refusal> {
    let today = midnight(tz, now);
    let date = tz
        .timestamp_millis_opt(today)
        .single()
        .expect("midnight exists")
        .date_naive();
    let start_of = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(today, |x| x.timestamp_millis())
    };
    let from = match name {
        "today" => today,
        "week" => start_of(date - Duration::days(date.weekday().num_days_from_monday() as i64)),
        "month" => start_of(date.with_day(1).expect("the 1st exists")),
        other => {
            return Err(crate::domain::Refusal::new(format!(
                "{other:?} is not a period: today, week or month"
            )));
        }
    };
    Ok((from, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::report::parse_date;

    const H: Millis = 3_600_000;

    #[test]
    fn a_schedule_fires_at_local_time_and_a_stale_firing_is_dropped() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let day = parse_date("2026-11-26").unwrap(); // a Thursday; Paris is UTC+1 in November
        assert_eq!(
            due("0 8 * * *", paris, day + 7 * H - 1, 12 * H),
            None,
            "not yet, and yesterday's is past the grace window"
        );
        assert_eq!(
            due("0 8 * * *", paris, day + 7 * H, 12 * H),
            Some(day + 7 * H),
            "08:00 in Paris is 07:00 UTC"
        );
        assert_eq!(
            due("0 8 * * *", paris, day + 9 * H, 12 * H),
            Some(day + 7 * H),
            "still due an hour and more later"
        );
        assert_eq!(
            due("0 8 * * *", paris, day + 20 * H, 12 * H),
            None,
            "past the grace window"
        );
        assert_eq!(
            due("30 8 * * MON", paris, day + 8 * H, 7 * 24 * H),
            Some(day - 3 * 24 * H + 7 * H + H / 2),
            "last Monday 08:30"
        );
        assert_eq!(due("", paris, day, H), None);
    }

    #[test]
    fn periods_start_at_local_midnights() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let now = parse_date("2026-11-26").unwrap() + 15 * H; // 10:00 in New York (UTC-5)
        assert_eq!(
            period(ny, "today", now).unwrap().0,
            parse_date("2026-11-26").unwrap() + 5 * H
        );
        assert_eq!(
            period(ny, "week", now).unwrap().0,
            parse_date("2026-11-23").unwrap() + 5 * H,
            "Monday"
        );
        assert_eq!(
            period(ny, "month", now).unwrap().0,
            parse_date("2026-11-01").unwrap() + 4 * H,
            "EDT until Nov 1 02:00"
        );
        assert!(
            period(ny, "year", now)
                .unwrap_err()
                .0
                .contains("today, week or month")
        );
    }
}
