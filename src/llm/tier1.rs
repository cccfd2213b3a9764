//! The tier-1 agent: answers from retrieved knowledge-base sections (each with an id) and read-only
//! account tools that return only the data of the customer linked to the asker's platform identity.
//! An answer is used only if it cites at least one retrieved section and nothing else (read by
//! `cite`); otherwise the caller treats the question as not grounded (the ticket goes to a person).

pub use super::cite::{Grounded, citations, ground};
use super::tools::{RunError, ToolBox, Usage, args, run_tools, spec};
use crate::domain::finance::Ledger;
use crate::domain::ports::{KbHit, Llm, LlmMessage, ToolSpec};
use crate::finance::report::money;
use async_trait::async_trait;

/// The asker's own account, read from the ledger; `None` = no account linked to this identity.
pub struct AccountTools {
    pub customer: Option<String>,
    pub ledger: Ledger,
}

impl AccountTools {
    fn read(&self, name: &str, asked_for: Option<&str>) -> String {
        let Some(me) = &self.customer else {
            return "no account linked to this chat identity".into();
        };
        if asked_for.is_some_and(|c| c != me) {
            return "refused: these tools only read the asker's own account".into();
        }
        let l = &self.ledger;
        match name {
            "get_account" => match l.customers.iter().find(|(id, _)| id == me) {
                Some((id, name)) => format!("account {id}: {name}"),
                None => format!("account {me}"),
            },
            "get_subscription" => {
                let mut latest: Vec<&crate::domain::finance::SubVersion> = vec![];
                for v in l.subscriptions.iter().filter(|v| &v.customer == me) {
                    match latest.iter_mut().find(|x| x.id == v.id) {
                        Some(x) if (v.at, v.rank) >= (x.at, x.rank) => *x = v,
                        Some(_) => {}
                        None => latest.push(v),
                    }
                }
                if latest.is_empty() {
                    return "no subscription".into();
                }
                latest
                    .iter()
                    .map(|v| {
                        let item = v.items.first();
                        format!(
                            "subscription {}: {} — {} per {}{}",
                            v.id,
                            v.status,
                            item.map_or_else(String::new, |i| money(
                                i.unit_amount * i.quantity,
                                &v.currency
                            )),
                            item.map_or("month", |i| i.interval.as_str()),
                            if v.cancel_at_period_end {
                                ", cancels at the end of the period"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            "get_invoices" => {
                let mine: Vec<String> = l
                    .invoices
                    .iter()
                    .filter(|i| &i.customer == me)
                    .map(|i| {
                        format!(
                            "invoice {}: {} {} (paid {})",
                            i.id,
                            i.status,
                            money(i.amount_due, &i.currency),
                            money(i.amount_paid, &i.currency)
                        )
                    })
                    .collect();
                if mine.is_empty() {
                    "no invoices".into()
                } else {
                    mine.join("\n")
                }
            }
            other => format!("no tool named {other}"),
        }
    }
}

#[async_trait]
impl ToolBox for AccountTools {
    fn specs(&self) -> Vec<ToolSpec> {
        vec![
            spec::<AccountArgs>("get_account", "The asker's account: name and id."),
            spec::<AccountArgs>(
                "get_subscription",
                "The asker's subscription: plan, price, status, cancellation.",
            ),
            spec::<AccountArgs>(
                "get_invoices",
                "The asker's invoices: status, amount due and paid.",
            ),
        ]
    }

    async fn call(&self, name: &str, arguments: &str) -> String {
        match args::<AccountArgs>(name, arguments) {
            Ok(a) => self.read(name, a.customer.as_deref()),
            Err(e) => format!("error: {e}"),
        }
    }
}

/// The account tools' arguments: nothing the model says chooses whose data is read.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
struct AccountArgs {
    /// Ignored: always the asker.
    customer: Option<String>,
}

/// Asks the model; `Ok(None)` = no grounded answer (escalate), `Err` = the model is unreachable.
pub async fn answer(
    llm: &dyn Llm,
    system: String,
    question: &str,
    hits: &[KbHit],
    tools: &AccountTools,
    max_rounds: u32,
) -> Result<(Option<Grounded>, Usage), RunError> {
    let messages = vec![
        LlmMessage::new("system", system),
        LlmMessage::new("user", question),
    ];
    let (text, usage) = run_tools(llm, "tier1", messages, tools, max_rounds).await?;
    Ok((text.as_deref().and_then(|t| ground(t, hits)), usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_tools_read_only_the_askers_account() {
        let t = AccountTools {
            customer: Some("cus_me".into()),
            ledger: Ledger::default(),
        };
        assert_eq!(
            t.read("get_invoices", Some("cus_other")),
            "refused: these tools only read the asker's own account"
        );
        assert_eq!(t.read("get_invoices", Some("cus_me")), "no invoices");
        let none = AccountTools {
            customer: None,
            ledger: Ledger::default(),
        };
        assert_eq!(
            none.read("get_account", None),
            "no account linked to this chat identity"
        );
    }
}
