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
        let Some((ev, ack)) = self.interaction_event(&ctx, &interaction).await else {
            return;
        };
        match self.0.accept(&ev).await {
            Ok(todo) => {
                respond(&ctx, &interaction, ack).await;
                if todo {
                    self.0.spawn_process(ev);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "Discord interaction not stored");
                let sorry = CreateInteractionResponseMessage::new()
                    .content(NOT_RECORDED)
                    .ephemeral(true);
                respond(
                    &ctx,
                    &interaction,
                    CreateInteractionResponse::Message(sorry),
                )
                .await;
            }
        }
    }
}

/// Answers an interaction; a failure is logged (Discord shows the person that it failed).
async fn respond(ctx: &Context, interaction: &Interaction, r: CreateInteractionResponse) {
    let result = match interaction {
        Interaction::Component(c) => c.create_response(&ctx.http, r).await,
        Interaction::Command(c) => c.create_response(&ctx.http, r).await,
        Interaction::Modal(m) => m.create_response(&ctx.http, r).await,
        _ => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "cannot answer a Discord interaction");
    }
}

impl Handler {
    /// Where an interaction happened (its thread resolved), or its channel as given.
    async fn place_of(&self, ctx: &Context, channel: u64) -> Place {
        self.0.place(&ctx.http, channel).await.unwrap_or(Place {
            channel: channel.to_string(),
            thread: None,
        })
    }

    /// The interaction as an event and the acknowledgement it gets once stored; `None` when it is
    /// not one of ours, or when a button first asks a question (the modal is opened here).
    async fn interaction_event(
        &self,
        ctx: &Context,
        interaction: &Interaction,
    ) -> Option<(crate::domain::Event, CreateInteractionResponse)> {
        let now = crate::clock::now();
        match interaction {
            Interaction::Component(c) => {
                let place = self.place_of(ctx, c.channel_id.get()).await;
                if let Some((action, value)) = modal::asking(&c.data.custom_id) {
                    // Not a decision yet: ask first, with the question the card's button carries.
                    let question = self
                        .0
                        .question(&place, &c.message.id.to_string(), &action, &value)
                        .await;
                    let ask = modal::modal(&action, &value, &question);
                    if let Err(e) = c
                        .create_response(&ctx.http, CreateInteractionResponse::Modal(ask))
                        .await
                    {
                        tracing::warn!(error = %e, "cannot open the question modal");
                    }
                    return None;
                }
                let ev = inbound::from_component(c, place, now);
                Some((ev, CreateInteractionResponse::Acknowledge))
            }
            Interaction::Modal(m) => {
                let place = self.place_of(ctx, m.channel_id.get()).await;
                let ev = modal::from_modal(m, place, now)?;
                Some((ev, CreateInteractionResponse::Acknowledge))
            }
            Interaction::Command(c) if c.data.name == "ops" => {
                let place = Place {
                    channel: c.channel_id.to_string(),
                    thread: None,
                };
                let ack = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(true),
                );
                Some((inbound::from_command(c, place, now), ack))
            }
            _ => None,
        }
    }
}
