//! When each platform was last caught up: asked for the events it may have sent while the
//! receiver was down.

use crate::{sqlite, Store, StoreError};
use chrono::{DateTime, Utc};

/// A platform's last catch-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaughtUp {
    /// The platform (`stripe`).
    pub platform: String,
    /// When jauge last asked it.
    pub at: DateTime<Utc>,
    /// The newest event instant the store holds from it.
    pub through: DateTime<Utc>,
}

impl Store {
    /// The last catch-up of `platform`, if it was ever caught up.
    ///
    /// # Errors
    ///
    /// SQLite fails, or an instant does not read back.
    pub fn caught_up(&self, platform: &str) -> Result<Option<CaughtUp>, StoreError> {
        Ok(self
            .catch_ups()?
            .into_iter()
            .find(|c| c.platform == platform))
    }

    /// Every platform's last catch-up, by name.
    ///
    /// # Errors
    ///
    /// SQLite fails, or an instant does not read back.
    pub fn catch_ups(&self) -> Result<Vec<CaughtUp>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT platform, at, through FROM catch_ups ORDER BY platform")
            .map_err(sqlite(&self.path))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(sqlite(&self.path))?;
        let mut found = Vec::new();
        for row in rows {
            let (platform, at, through) = row.map_err(sqlite(&self.path))?;
            let instant = |text: &str| {
                DateTime::parse_from_rfc3339(text)
                    .map(|t| t.to_utc())
                    .map_err(|e| StoreError::BadCatchUp {
                        path: self.path.clone(),
                        platform: platform.clone(),
                        reason: format!("{text:?}: {e}"),
                    })
            };
            found.push(CaughtUp {
                at: instant(&at)?,
                through: instant(&through)?,
                platform,
            });
        }
        Ok(found)
    }
}
