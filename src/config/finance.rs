//! `[finance]`: the Stripe webhook's signing secret and tolerance, the digests' time zone and schedules,
//! the refund threshold, and Stripe's API for refunds.

use serde::Deserialize;

/// `[finance]`: the Stripe webhook's signing secret and how old a signature may be; the digests' time zone
/// and schedules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanceSettings {
    pub stripe_secret_env: String,
    pub signature_tolerance_secs: i64,
    /// IANA time zone of the digests' days and weeks (`Europe/Paris`).
    pub timezone: String,
    /// Cron expressions (minute hour day month weekday) in `timezone`; empty turns a digest off.
    pub daily_cron: String,
    pub weekly_cron: String,
    /// Refunds above this many minor units (of the charge's currency) need sign-off.
    pub refund_approval_above: i64,
    /// The same refund (charge and amount) repeated within this many seconds asks for `--again`.
    pub refund_confirm_within_secs: i64,
    /// Failed payments and disputes announce only when Stripe created the event at most this many
    /// seconds before it arrives; older ones (retries, replays, backfills) enter the ledger silently.
    pub announce_within_secs: i64,
    /// Stripe's API (refunds), and the variable holding its secret key.
    pub stripe_api_url: String,
    pub stripe_api_key_env: String,
    pub stripe_timeout_secs: u64,
}

impl FinanceSettings {
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }
}

impl FinanceSettings {
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.signature_tolerance_secs <= 0 {
            return Err("finance.signature_tolerance_secs: must be positive".into());
        }
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "finance.timezone: {:?} is not an IANA time zone like Europe/Paris",
                self.timezone
            ));
        }
        for (k, c) in [
            ("finance.daily_cron", &self.daily_cron),
            ("finance.weekly_cron", &self.weekly_cron),
        ] {
            if !c.is_empty()
                && let Err(e) = c.parse::<croner::Cron>()
            {
                return Err(format!(
                    "{k}: {c:?} is not a cron expression (minute hour day month weekday): {e}"
                ));
            }
        }
        if !self.stripe_api_url.starts_with("http") {
            return Err(format!(
                "finance.stripe_api_url: {:?} is not an http(s) URL",
                self.stripe_api_url
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    #[test]
    fn a_bad_time_zone_or_schedule_is_named() {
        let mut s = Settings::builtin();
        s.finance.timezone = "Mars/Olympus".into();
        assert!(
            s.finance
                .validate()
                .unwrap_err()
                .contains("finance.timezone")
        );
        s.finance.timezone = "Europe/Paris".into();
        s.finance.weekly_cron = "every monday".into();
        assert!(
            s.finance
                .validate()
                .unwrap_err()
                .starts_with("finance.weekly_cron")
        );
    }
}
