//! serenity's event handler: READY (who the bot is, `/ops` registered per guild, backfill), messages,
//! thread creations, and interactions — each stored first, then acknowledged within Discord's 3 s.

use super::DiscordInbound;
use super::inbound::{self, Place};
use super::modal;
use super::ops_command::ops_command;
use async_trait::async_trait;
use serenity::all::{
    Context, CreateInteractionResponse, CreateInteractionResponseMessage, EventHandler,
    GuildChannel, GuildId, Interaction, Message, Ready,
};
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub struct Handler(pub Arc<DiscordInbound>);

const NOT_RECORDED: &str = "opsdesk could not record this just now. Please try again in a moment.";

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.0.me.store(ready.user.id.get(), Ordering::Relaxed);
        tracing::info!(bot = %ready.user.name, guilds = ready.guilds.len(), "Discord gateway ready");
        for g in &self.0.settings.guilds {
            let Ok(id) = g.parse::<u64>() else { continue };
            // A bulk overwrite: registering the same commands again changes nothing.
            match GuildId::new(id)
                .set_commands(&ctx.http, vec![ops_command()])
                .await
            {
                Ok(_) => tracing::info!(guild = id, "/ops registered"),
                Err(e) => tracing::error!(guild = id, error = %e, "cannot register /ops"),
            }
        }
        let me = self.0.clone();
        tokio::spawn(async move { me.backfill(ctx.http.clone()).await });
    }

    async fn thread_create(&self, _ctx: Context, thread: GuildChannel) {
        self.0
            .threads
            .learn(thread.id.get(), thread.parent_id.map(|p| p.get()));
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if let Err(e) = self.0.on_message(&ctx.http, &msg).await {
            tracing::error!(message = %msg.id, error = %e, "Discord message not stored; the next start-up's backfill fetches it");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let now = crate::clock::now();
        let (ev, ack) = match &interaction {
            Interaction::Component(c) => {
                let place = self
                    .0
                    .place(&ctx.http, c.channel_id.get())
                    .await
                    .unwrap_or(Place {
                        channel: c.channel_id.to_string(),
                        thread: None,
                    });
                if let Some((action, value)) = modal::asking(&c.data.custom_id) {
                    // Not a decision yet: ask first, with the question the card's button carries.
                    let question = self
                        .0
                        .question(&place, &c.message.id.to_string(), &action, &value)
                        .await;
                    if let Err(e) = c
                        .create_response(
                            &ctx.http,
                            CreateInteractionResponse::Modal(modal::modal(
                                &action, &value, &question,
                            )),
                        )
                        .await
                    {
                        tracing::warn!(error = %e, "cannot open the question modal");
                    }
                    return;
                }
                (
                    inbound::from_component(c, place, now),
                    CreateInteractionResponse::Acknowledge,
                )
            }
            Interaction::Modal(m) => {
                let place = self
                    .0
                    .place(&ctx.http, m.channel_id.get())
                    .await
                    .unwrap_or(Place {
                        channel: m.channel_id.to_string(),
                        thread: None,
                    });
                let Some(ev) = modal::from_modal(m, place, now) else {
                    return;
                };
                (ev, CreateInteractionResponse::Acknowledge)
            }
            Interaction::Command(c) if c.data.name == "ops" => {
                let place = Place {
                    channel: c.channel_id.to_string(),
                    thread: None,
                };
                let ack = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                );
                (inbound::from_command(c, place, now), ack)
            }
            _ => return,
        };
        let respond = |r: CreateInteractionResponse| {
            let http = ctx.http.clone();
            let interaction = interaction.clone();
            async move {
                let result = match &interaction {
                    Interaction::Component(c) => c.create_response(&http, r).await,
                    Interaction::Command(c) => c.create_response(&http, r).await,
                    Interaction::Modal(m) => m.create_response(&http, r).await,
                    _ => Ok(()),
                };
                if let Err(e) = result {
                    tracing::warn!(error = %e, "cannot answer a Discord interaction");
                }
            }
        };
        match self.0.accept(&ev).await {
            Ok(todo) => {
                respond(ack).await;
                if todo {
                    self.0.spawn_process(ev);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "Discord interaction not stored");
                respond(CreateInteractionResponse::Message(
                    CreateInteractionResponseMessage::new()
                        .content(NOT_RECORDED)
                        .ephemeral(true),
                ))
                .await;
            }
        }
    }
}
