//! SQL scripts with numbered parameters: several statements sent to the database in one round trip
//! (SQLite), or one statement built from the same values (the portable path).

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AssertSqlSafe};

/// A value bound to a numbered parameter.
#[derive(Debug, Clone)]
pub(super) enum Val {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}

impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Val {
        Val::Real(v)
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}

impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::Text(v.map(String::from))
    }
}

/// `sql` with `$n` placeholders numbered across the whole script, and the values they take.
#[derive(Debug, Default)]
pub(super) struct Script {
    pub sql: String,
    vals: Vec<Val>,
}

impl Script {
    /// Adds a value; returns its placeholder.
    pub fn param(&mut self, v: impl Into<Val>) -> String {
        self.vals.push(v.into());
        format!("${}", self.vals.len())
    }

    /// Adds a row of values; returns `($a, $b, …)`.
    pub fn row(&mut self, vals: Vec<Val>) -> String {
        let ps: Vec<String> = vals.into_iter().map(|v| self.param(v)).collect();
        format!("({})", ps.join(", "))
    }

    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// The script as one query; every statement's returned rows come back in order.
    pub fn query<'q, O>(self) -> QueryAs<'q, Any, O, AnyArguments>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<_, O>(AssertSqlSafe(self.sql));
        for v in self.vals {
            q = match v {
                Val::Int(i) => q.bind(i),
                Val::Real(f) => q.bind(f),
                Val::Text(t) => q.bind(t),
            };
        }
        q
    }
}
