//! Secrets: from the environment or a file its owner alone may read, never from the campaign
//! file, never in a log or an error (their `Debug` is redacted).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::CliError;

/// The names a secrets file (or the environment) may set: the webhooks', the platforms' API
/// credentials for catching up, and the keys of the bucket the site is published to.
pub const SETTINGS: [&str; 21] = [
    STRIPE_SECRET,
    STRIPE_MODE,
    crate::catch_up::STRIPE_API_KEY,
    crate::catch_up::HELLOASSO_CLIENT_ID,
    crate::catch_up::HELLOASSO_CLIENT_SECRET,
    crate::catch_up::HELLOASSO_ORGANIZATION,
    HELLOASSO_KEY,
    HELLOASSO_TOKEN,
    GOCARDLESS_SECRET,
    crate::catch_up::GOCARDLESS_ACCESS_TOKEN,
    crate::catch_up::MOLLIE_API_KEY,
    MOLLIE_SECRET,
    super::PAYPAL_WEBHOOK_ID,
    crate::catch_up::PAYPAL_CLIENT_ID,
    crate::catch_up::PAYPAL_CLIENT_SECRET,
    crate::catch_up::OPENCOLLECTIVE_SLUG,
    crate::catch_up::OPENCOLLECTIVE_TOKEN,
    crate::catch_up::LIBERAPAY_ACCOUNT,
    crate::publish::bucket::ACCESS_KEY_ID,
    crate::publish::bucket::SECRET_ACCESS_KEY,
    crate::publish::bucket::SESSION_TOKEN,
];
/// Stripe's endpoint signing secret(s) (`whsec_…`; several, comma-separated, while rotating).
pub const STRIPE_SECRET: &str = "JAUGE_STRIPE_WEBHOOK_SECRET";
/// `live` (the default) or `test`: the Stripe events that count.
pub const STRIPE_MODE: &str = "JAUGE_STRIPE_MODE";
/// HelloAsso's notification signature key (`x-ha-signature`).
pub const HELLOASSO_KEY: &str = "JAUGE_HELLOASSO_SIGNATURE_KEY";
/// Without a signature key: a long random token, the last segment of HelloAsso's endpoint path.
pub const HELLOASSO_TOKEN: &str = "JAUGE_HELLOASSO_PATH_TOKEN";

/// GoCardless's endpoint secret(s) (several, comma-separated, while rotating); the endpoint
/// also needs [`crate::catch_up::GOCARDLESS_ACCESS_TOKEN`] to read the payments events name.
pub const GOCARDLESS_SECRET: &str = "JAUGE_GOCARDLESS_WEBHOOK_SECRET";

/// Mollie's next-gen webhook signing secret(s) (several, comma-separated, while rotating). The
/// endpoint itself is enabled by [`crate::catch_up::MOLLIE_API_KEY`]: Mollie's webhooks are only
/// nudges, each payment read through its API; with a secret, a next-gen delivery must be signed.
pub const MOLLIE_SECRET: &str = "JAUGE_MOLLIE_WEBHOOK_SECRET";

/// The shortest path token taken: 32 characters of `[A-Za-z0-9_-]` carry at least 190 bits.
pub(super) const MIN_TOKEN_LENGTH: usize = 32;
/// The largest secrets file read.
const MAX_SECRETS_FILE: u64 = 64 * 1024;

/// A secret: its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(super) String);

impl Secret {
    /// Wraps `value`.
    pub(crate) fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The secret itself, for the one place it goes (a header, a signature check).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The webhook settings, from the environment and a secrets file.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: BTreeMap<&'static str, Secret>,
}

impl Secrets {
    /// Reads `file` if given (refused if its group or others may read it), then the
    /// environment through `env`, which overrides the file.
    ///
    /// # Errors
    ///
    /// [`CliError::Secret`]: the file cannot be read, is readable by others, or has a line
    /// that is not `NAME=value` with a known name. The message names the file, the line and the
    /// name, never a value.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Secrets, CliError> {
        let mut values = BTreeMap::new();
        if let Some(path) = file {
            for (name, value) in read_secrets_file(path)? {
                values.insert(name, Secret(value));
            }
        }
        for name in SETTINGS {
            if let Some(value) = env(name).filter(|v| !v.is_empty()) {
                values.insert(name, Secret(value));
            }
        }
        Ok(Secrets { values })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(Secret::expose)
    }
}

pub(super) fn secret_error(place: impl Into<String>, problem: impl Into<String>) -> CliError {
    CliError::Secret {
        place: place.into(),
        problem: problem.into(),
    }
}

fn read_secrets_file(path: &Path) -> Result<Vec<(&'static str, String)>, CliError> {
    let place = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| secret_error(&place, e.to_string()))?;
    if !metadata.is_file() {
        return Err(secret_error(&place, "not a file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(secret_error(
                &place,
                format!(
                    "its group or others may read it (mode {mode:04o}): make it the owner's alone with `chmod 600 {place}`"
                ),
            ));
        }
    }
    if metadata.len() > MAX_SECRETS_FILE {
        return Err(secret_error(&place, "larger than a secrets file (64 KiB)"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| secret_error(&place, e.to_string()))?;
    let mut values = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{place}:{}", number + 1);
        let Some((name, value)) = line.split_once('=') else {
            return Err(secret_error(at, "expected NAME=value"));
        };
        let name = name.trim().trim_start_matches("export ").trim();
        let Some(known) = SETTINGS.iter().find(|known| **known == name) else {
            return Err(secret_error(
                at,
                format!(
                    "{name:?} is not a setting jauge reads (expected one of {})",
                    SETTINGS.join(", ")
                ),
            ));
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        values.push((*known, value.to_owned()));
    }
    Ok(values)
}

/// The comma-separated secrets of `name` (several while one is rotated).
pub(super) fn secret_list(name: &str, value: &str) -> Result<Vec<Secret>, CliError> {
    let secrets: Vec<Secret> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Secret(s.to_owned()))
        .collect();
    if secrets.is_empty() {
        return Err(secret_error(name, "holds no secret"));
    }
    Ok(secrets)
}

/// Equal, in a time that does not depend on where they differ (subtle's comparison, which the
/// optimiser cannot turn into an early exit).
pub(super) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
pub(super) fn secrets(pairs: &[(&str, &str)]) -> Secrets {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Secrets::load(None, |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secrets_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets");
        std::fs::write(
            &path,
            "# webhook keys\nJAUGE_STRIPE_WEBHOOK_SECRET=\"whsec_abc\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let error = Secrets::load(Some(&path), |_| None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("chmod 600") && !error.contains("whsec_abc"),
            "{error}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let loaded = Secrets::load(Some(&path), |_| None).unwrap();
        assert_eq!(loaded.get(STRIPE_SECRET), Some("whsec_abc"));
        // The environment wins over the file.
        let loaded = Secrets::load(Some(&path), |name| {
            (name == STRIPE_SECRET).then(|| "whsec_env".to_owned())
        })
        .unwrap();
        assert_eq!(loaded.get(STRIPE_SECRET), Some("whsec_env"));
        std::fs::write(&path, "JAUGE_STRIPE_SECRET=whsec_typo\n").unwrap();
        let error = Secrets::load(Some(&path), |_| None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(":1:") && !error.contains("whsec_typo"),
            "{error}"
        );
    }
}
