//! `TestApp`: the whole opsdesk runtime (inbox, pipeline, outbox, sender, the real Slack and Discord
//! clients) started against the fakes on 127.0.0.1, so an end-to-end test reads as its scenario:
//! `TestApp::new().slack().discord().start()`, push what people do, `settle()`, look at the fakes.

use super::discord::{self as fd, FakeDiscord};
use super::slack::FakeSlack;
use super::{TestDb, sqlite};
use opsdesk::config::{ChannelSettings, RunbookSettings, Secret, Settings, SlackTokens};
use opsdesk::domain::ports::Store;
use opsdesk::domain::{ChannelRole, Platform};
use opsdesk::runtime::{Connect, Runtime};
use std::sync::Arc;
use std::time::Duration;

/// The Slack channels every `TestApp` with Slack has.
pub const SLACK_COMMUNITY: &str = "CCOMM";
pub const SLACK_COMMUNITY_2: &str = "CCOMM2";
pub const SLACK_ESCALATIONS: &str = "CESC";

/// A change to the settings before start-up.
type Tune<'a> = Box<dyn FnOnce(&mut Settings) + 'a>;

/// What to start: which platforms, and settings changes on top of the test defaults.
pub struct TestApp<'a> {
    slack: bool,
    discord: bool,
    tunes: Vec<Tune<'a>>,
}

/// The started app and the fakes it talks to.
pub struct RunningApp {
    pub rt: Runtime,
    pub store: Arc<dyn Store>,
    pub slack: Option<FakeSlack>,
    pub discord: Option<FakeDiscord>,
    pub db: TestDb,
}

impl<'a> TestApp<'a> {
    pub fn new() -> TestApp<'a> {
        TestApp {
            slack: false,
            discord: false,
            tunes: vec![],
        }
    }

    /// Connects the Slack client (Socket Mode and Web API) to a fake Slack.
    pub fn slack(mut self) -> Self {
        self.slack = true;
        self
    }

    /// Connects the Discord client (gateway and REST) to a fake Discord.
    pub fn discord(mut self) -> Self {
        self.discord = true;
        self
    }

    /// Changes the settings before the app starts.
    pub fn tune(mut self, f: impl FnOnce(&mut Settings) + 'a) -> Self {
        self.tunes.push(Box::new(f));
        self
    }

    /// Starts the fakes, then the runtime; returns once each platform's client is connected.
    pub async fn start(self) -> RunningApp {
        if std::env::var("TEST_LOG").is_ok() {
            opsdesk::telemetry::init("warn", false);
        }
        opsdesk::telemetry::install_tls_provider();
        let mut s = super::settings();
        s.channels.clear();
        s.ops.allowed_users.clear();
        s.approvals.approvers.clear();
        let slack = match self.slack {
            true => Some(FakeSlack::start().await),
            false => None,
        };
        let discord = match self.discord {
            true => Some(FakeDiscord::start().await),
            false => None,
        };
        if let Some(f) = &slack {
            slack_settings(&mut s, f);
        }
        if let Some(f) = &discord {
            discord_settings(&mut s, f);
        }
        for tune in self.tunes {
            tune(&mut s);
        }
        let db = sqlite().await;
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let identifies = discord.as_ref().map_or(0, FakeDiscord::identifies);
        let connect = Connect {
            console: None,
            slack: slack.as_ref().map(|_| SlackTokens {
                app: "xapp-fake".into(),
                bot: "xoxb-fake".into(),
            }),
            discord: discord.as_ref().map(|_| Secret::from("fake-token")),
            http: None,
        };
        let rt = Runtime::start(s, store.clone(), connect)
            .await
            .expect("runtime starts");
        if let Some(f) = &slack {
            f.wait_until("the socket connects", |f| f.connections() >= 1)
                .await;
        }
        if let Some(f) = &discord {
            f.wait_until("IDENTIFY and READY", |f| f.identifies() > identifies)
                .await;
        }
        RunningApp {
            rt,
            store,
            slack,
            discord,
            db,
        }
    }
}

impl Default for TestApp<'_> {
    fn default() -> Self {
        TestApp::new()
    }
}

/// The runbook both platforms' tests ask for: `restart-api`, which runs `true`.
fn restart_api(s: &mut Settings) {
    let runbook = RunbookSettings {
        description: "restart the API".into(),
        argv: vec!["true".into()],
        timeout_secs: 5,
    };
    s.runbooks.insert("restart-api".into(), runbook);
}

/// A community channel, a second one and an escalation channel; `UADMIN` and the `SOPS` group run
/// `/ops`, `UBOSS` signs off.
pub fn slack_settings(s: &mut Settings, fake: &FakeSlack) {
    s.slack.api_url = fake.api_url();
    s.slack.reconnect_secs = 1;
    s.slack.channel_rate_per_sec = 500.0;
    s.slack.channel_burst = 50;
    let ch = |id: &str, role| ChannelSettings {
        platform: Platform::Slack,
        id: id.into(),
        role,
    };
    s.channels.extend([
        ch(SLACK_COMMUNITY, ChannelRole::Customer),
        ch(SLACK_COMMUNITY_2, ChannelRole::Customer),
        ch(SLACK_ESCALATIONS, ChannelRole::Escalation),
    ]);
    s.ops
        .allowed_users
        .extend(["slack:UADMIN".into(), "slack:group:SOPS".into()]);
    s.approvals.approvers.push("slack:UBOSS".into());
    restart_api(s);
}

/// A text channel, a forum and an escalation channel in the fake guild; the admin and the ops role
/// run `/ops`, the ops role signs off.
pub fn discord_settings(s: &mut Settings, fake: &FakeDiscord) {
    s.discord.api_url = fake.api_url();
    s.discord.gateway_url = fake.gateway_url();
    s.discord.guilds = vec![fd::GUILD.to_string()];
    s.discord.channel_rate_per_sec = 500.0;
    s.discord.channel_burst = 50;
    let ch = |id: u64, role| ChannelSettings {
        platform: Platform::Discord,
        id: id.to_string(),
        role,
    };
    s.channels.extend([
        ch(fd::TEXT, ChannelRole::Customer),
        ch(fd::FORUM, ChannelRole::Customer),
        ch(fd::ESCALATIONS, ChannelRole::Escalation),
    ]);
    s.ops.allowed_users.extend([
        format!("discord:{}", fd::ADMIN),
        format!("discord:role:{}", fd::OPS_ROLE),
    ]);
    s.approvals
        .approvers
        .push(format!("discord:role:{}", fd::OPS_ROLE));
    restart_api(s);
}

impl RunningApp {
    /// Waits until every stored event is processed and the outbox is empty (Slack envelopes acked
    /// first); panics with what is still pending after 30 s.
    pub async fn settle(&self) {
        if let Some(f) = &self.slack {
            f.wait_until("all envelopes acked", |f| f.unacked() == 0)
                .await;
        }
        for _ in 0..600 {
            let idle = self
                .store
                .inbox_unprocessed(i64::MAX, 1)
                .await
                .expect("inbox readable")
                .is_empty()
                && self.store.outbox_depth().await.expect("outbox readable") == 0;
            if idle {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let pending = self.store.inbox_unprocessed(i64::MAX, 10).await;
        panic!(
            "the app did not settle: unprocessed {pending:?}, outbox depth {:?}",
            self.store.outbox_depth().await
        );
    }

    pub fn slack(&self) -> &FakeSlack {
        self.slack.as_ref().expect("started with .slack()")
    }

    pub fn discord(&self) -> &FakeDiscord {
        self.discord.as_ref().expect("started with .discord()")
    }
}
