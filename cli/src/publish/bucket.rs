//! The public files written to an S3-compatible bucket, so that a CDN or the object store serves
//! the readers while `jauge serve` only receives gifts (`jauge serve --publish-to s3://…`), or
//! once by `jauge build --publish-to`.
//!
//! The publishing thread owns its own small runtime: the server never waits for it. It is
//! handed each new version of the site ([`Mirror::offer`]) and writes only what changed since
//! what it last wrote, the content-hashed files (the bundle, the versioned card) before the
//! pages and documents that name them. A write that fails is retried with a growing pause
//! (one second, doubling, a minute at most), always for the newest version of the site, and
//! said once on stderr with its reason; the recovery is said too. Files the site no longer has
//! are deleted from the bucket [`EARLIER_CARDS_KEPT`] later, as a page cached a moment ago may
//! still name them; at start, earlier content-hashed files found under the prefix are deleted
//! as late, and nothing else the prefix holds is touched.
//!
//! Credentials and the endpoint come from the environment's `AWS_*` variables (as every S3 tool
//! reads them: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`), the keys also from the secrets file; never from the
//! campaign file, and never written anywhere.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use jauge_server::Files;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};

use super::site::EARLIER_CARDS_KEPT;
use crate::error::CliError;
use crate::webhook::Secrets;

/// Writes at once to the bucket: a site is a few dozen files, and object stores take many
/// requests in parallel.
const WRITES_AT_ONCE: usize = 4;
/// The longest pause between two attempts after failures.
const LONGEST_PAUSE: Duration = Duration::from_secs(60);
/// One request's time, start to end (the bundle is under a megabyte).
const REQUEST_TIME: Duration = Duration::from_secs(30);
/// How often the bucket's listing is read again, to write back what went missing from it.
const LOOK_AGAIN: Duration = Duration::from_secs(600);
/// The time to connect to the object store.
const CONNECT_TIME: Duration = Duration::from_secs(5);

/// An S3-compatible bucket and the folder in it the site goes to.
#[derive(Clone)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    /// `s3://bucket/folder`, as messages name it.
    url: String,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

impl Bucket {
    /// The bucket of `url` (`s3://bucket` or `s3://bucket/folder`), reached with the
    /// environment's `AWS_*` settings, the access keys from `secrets` when they hold them.
    ///
    /// # Errors
    ///
    /// [`CliError::Option`] (for `option`): `url` is not an `s3://` address with a bucket, or the
    /// settings do not make a client (an endpoint that is not a URL, say).
    pub fn open(option: &'static str, url: &str, secrets: &Secrets) -> Result<Bucket, CliError> {
        let wrong = |expected: &'static str| CliError::Option {
            option,
            value: url.to_owned(),
            expected,
        };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| wrong("an S3 address: s3://bucket or s3://bucket/folder"))?;
        let (bucket, folder) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(wrong("an S3 address: s3://bucket or s3://bucket/folder"));
        }
        let prefix = ObjectPath::parse(folder.trim_end_matches('/'))
            .map_err(|_| wrong("a folder of plain names: s3://bucket/a/b"))?;
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(REQUEST_TIME)
                    .with_connect_timeout(CONNECT_TIME),
            )
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: REQUEST_TIME,
                ..RetryConfig::default()
            });
        // The environment's settings after the bounds, as `AmazonS3Builder::from_env` reads
        // them: its client options (`AWS_ALLOW_HTTP`) would otherwise be replaced by ours.
        for (name, value) in std::env::vars() {
            if name.starts_with("AWS_") {
                if let Ok(key) = name.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                    builder = builder.with_config(key, value);
                }
            }
        }
        for (name, key) in [
            (ACCESS_KEY_ID, AmazonS3ConfigKey::AccessKeyId),
            (SECRET_ACCESS_KEY, AmazonS3ConfigKey::SecretAccessKey),
            (SESSION_TOKEN, AmazonS3ConfigKey::Token),
        ] {
            if let Some(value) = secrets.get(name) {
                builder = builder.with_config(key, value);
            }
        }
        let store = builder
            .build()
            .map_err(|_| wrong("a bucket reachable with the AWS_* settings (AWS_REGION, AWS_ENDPOINT_URL for another provider than AWS, AWS_ALLOW_HTTP=true for a plain-HTTP endpoint)"))?;
        let url = match folder.trim_end_matches('/') {
            "" => format!("s3://{bucket}"),
            folder => format!("s3://{bucket}/{folder}"),
        };
        Ok(Bucket {
            store: Arc::new(store),
            prefix,
            url,
        })
    }

    /// Where `name` goes in the bucket.
    fn path(&self, name: &str) -> ObjectPath {
        self.prefix.clone().join(name)
    }

    /// The name, under the prefix, of an object of the bucket.
    fn name(&self, path: &ObjectPath) -> Option<String> {
        let mut parts = path.prefix_match(&self.prefix)?;
        let first = parts.next()?;
        // Only the prefix's own files: the site has no folders.
        parts.next().is_none().then(|| first.as_ref().to_owned())
    }
}

/// The secrets file's names for the bucket's keys (the environment's win, as for webhooks).
pub const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// See [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// See [`ACCESS_KEY_ID`].
pub const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// Whether `name` is a content-hashed file of the site (never changed once written; deleted
/// when no page has named it for a while).
fn is_hashed(name: &str) -> bool {
    super::site::cache_control(name).contains("immutable")
}

/// Whether `name` is one of the site's public files: `_headers` is a rules file for the hosts
/// that read one from the folder they deploy (Netlify, Cloudflare Pages), not a page; a bucket
/// takes its rules with each file.
fn is_public(name: &str) -> bool {
    !name.starts_with('_')
}

/// What the bucket holds of the site, as far as the publisher knows.
#[derive(Default)]
struct Published {
    /// The ETag (of jauge's own files) of each file written.
    written: BTreeMap<String, String>,
    /// Files no longer in the site, with when they left it: deleted `EARLIER_CARDS_KEPT` later.
    leaving: BTreeMap<String, Instant>,
}

/// The outcome of one pass.
struct Pass {
    written: usize,
    bytes: usize,
    deleted: usize,
    /// The first failure, if any: the pass is tried again.
    failed: Option<String>,
}

impl Published {
    /// Writes what changed in `files` since the last pass, then deletes what left the site long
    /// enough ago.
    async fn pass(&mut self, bucket: &Bucket, files: &Files) -> Pass {
        let mut pass = Pass {
            written: 0,
            bytes: 0,
            deleted: 0,
            failed: None,
        };
        let changed: Vec<&str> = files
            .names()
            .filter(|name| is_public(name))
            .filter(|name| files.etag(name) != self.written.get(*name).map(String::as_str))
            .collect();
        // The hashed files first: a page or `jauge.js` written before the card or bundle it
        // names would send readers to a file not there yet.
        let (hashed, named): (Vec<&str>, Vec<&str>) =
            changed.into_iter().partition(|name| is_hashed(name));
        for group in [hashed, named] {
            for chunk in group.chunks(WRITES_AT_ONCE) {
                let mut writes = tokio::task::JoinSet::new();
                for name in chunk {
                    let (Some(body), Some(etag)) = (files.body(name), files.etag(name)) else {
                        continue;
                    };
                    let (bucket, name, body, etag) = (
                        bucket.clone(),
                        (*name).to_owned(),
                        body.clone(),
                        etag.to_owned(),
                    );
                    writes.spawn(async move {
                        let mut attributes = Attributes::new();
                        attributes.insert(
                            Attribute::ContentType,
                            jauge_server::content_type(&name).into(),
                        );
                        attributes.insert(
                            Attribute::CacheControl,
                            super::site::cache_control(&name).into(),
                        );
                        let options = PutOptions {
                            attributes,
                            ..PutOptions::default()
                        };
                        let size = body.len();
                        let written = bucket
                            .store
                            .put_opts(&bucket.path(&name), PutPayload::from_bytes(body), options)
                            .await;
                        (name, etag, size, written)
                    });
                }
                while let Some(done) = writes.join_next().await {
                    match done {
                        Ok((name, etag, size, Ok(_))) => {
                            pass.written += 1;
                            pass.bytes += size;
                            self.leaving.remove(&name);
                            self.written.insert(name, etag);
                        }
                        Ok((name, _, _, Err(e))) => {
                            pass.failed.get_or_insert(format!("{name}: {e}"));
                        }
                        Err(e) => {
                            pass.failed.get_or_insert(e.to_string());
                        }
                    }
                }
            }
            if pass.failed.is_some() {
                // The pages wait until what they name is there.
                return pass;
            }
        }
        let now = Instant::now();
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|name| files.body(name).is_none())
            .cloned()
            .collect();
        for name in gone {
            self.written.remove(&name);
            self.leaving.entry(name).or_insert(now);
        }
        let due: Vec<String> = self
            .leaving
            .iter()
            .filter(|(name, left)| {
                files.body(name).is_none() && now.duration_since(**left) >= EARLIER_CARDS_KEPT
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in due {
            match bucket.store.delete(&bucket.path(&name)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                    pass.deleted += 1;
                    self.leaving.remove(&name);
                }
                Err(e) => {
                    pass.failed.get_or_insert(format!("deleting {name}: {e}"));
                }
            }
        }
        pass
    }

    /// Looks at what the prefix holds: the content-hashed files of earlier runs are noted, to be
    /// deleted in their turn if the site does not name them again (as having left the site now,
    /// or, `by_age`, when they were last written); and a file written before that is no longer
    /// there (deleted by hand, a lifecycle rule, a bucket emptied) is forgotten, so the next pass
    /// writes it again.
    async fn look(&mut self, bucket: &Bucket, by_age: bool) -> Result<(), String> {
        use futures_util::StreamExt;
        let mut listing = bucket.store.list(Some(&bucket.prefix));
        let now = Instant::now();
        let mut present = std::collections::BTreeSet::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| e.to_string())?;
            if let Some(name) = bucket.name(&meta.location) {
                present.insert(name.clone());
                if is_hashed(&name) && !self.written.contains_key(&name) {
                    let age = (chrono::Utc::now() - meta.last_modified)
                        .to_std()
                        .unwrap_or_default();
                    let left = match by_age {
                        true => now.checked_sub(age).unwrap_or(now),
                        false => now,
                    };
                    self.leaving.entry(name).or_insert(left);
                }
            }
        }
        self.written.retain(|name, _| present.contains(name));
        Ok(())
    }
}

/// The newest version of the site not yet published, shared with the publishing thread.
#[derive(Default)]
struct Offered {
    files: Mutex<Option<Arc<Files>>>,
    ready: Condvar,
}

/// A site kept published to a bucket in the background.
pub struct Mirror {
    offered: Arc<Offered>,
}

impl Mirror {
    /// Starts the publishing thread, which says on stderr (with `who` first) what it did the
    /// first time, and each failure and recovery.
    ///
    /// # Errors
    ///
    /// The thread or its runtime could not be started.
    pub fn start(bucket: Bucket, who: &'static str) -> Result<Mirror, CliError> {
        let offered = Arc::new(Offered::default());
        let runtime = runtime()?;
        let shared = Arc::downgrade(&offered);
        std::thread::Builder::new()
            .name("jauge-publish".into())
            .spawn(move || runtime.block_on(publish(bucket, who, shared)))
            .map_err(|e| CliError::io(std::path::Path::new("jauge-publish thread"), e))?;
        Ok(Mirror { offered })
    }

    /// Hands the thread the site as it is now (an earlier one not yet taken is dropped).
    pub fn offer(&self, files: Arc<Files>) {
        *self.offered.files.lock().unwrap_or_else(|p| p.into_inner()) = Some(files);
        self.offered.ready.notify_one();
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io(std::path::Path::new("jauge-publish runtime"), e))
}

/// The publishing thread: a pass for each version offered, and again after a failure or when
/// files are due for deletion.
async fn publish(bucket: Bucket, who: &'static str, offered: std::sync::Weak<Offered>) {
    let mut published = Published::default();
    let mut looked: Option<Instant> = None;
    let mut latest: Option<Arc<Files>> = None;
    let mut failures = 0u32;
    let mut first = true;
    loop {
        // Waits for a new version, or for the pause after a failure, or for a deletion due.
        let wait = if failures > 0 {
            Duration::from_secs(1 << failures.min(6)).min(LONGEST_PAUSE)
        } else if !published.leaving.is_empty() {
            Duration::from_secs(30)
        } else {
            LOOK_AGAIN
        };
        let Some(shared) = offered.upgrade() else {
            return;
        };
        // The thread is the runtime's own and no task is running between passes: it may
        // block here.
        let taken = {
            let mut files = shared.files.lock().unwrap_or_else(|p| p.into_inner());
            if files.is_none() {
                files = match shared.ready.wait_timeout(files, wait) {
                    Ok((guard, _)) => guard,
                    Err(poisoned) => poisoned.into_inner().0,
                };
            }
            files.take()
        };
        drop(shared);
        if let Some(files) = taken {
            latest = Some(files);
        }
        let Some(files) = latest.clone() else {
            continue;
        };
        if looked.is_none_or(|at| at.elapsed() >= LOOK_AGAIN) {
            match published.look(&bucket, false).await {
                Ok(()) => looked = Some(Instant::now()),
                Err(e) => eprintln!("{who}: could not list {}: {e}", bucket.url),
            }
        }
        let pass = published.pass(&bucket, &files).await;
        match pass.failed {
            Some(reason) => {
                failures += 1;
                if failures == 1 {
                    eprintln!(
                        "{who}: could not publish to {}: {reason}; trying again, every minute at most",
                        bucket.url
                    );
                }
            }
            None => {
                if failures > 0 {
                    eprintln!(
                        "{who}: published to {} again after {failures} failed attempts",
                        bucket.url
                    );
                } else if first {
                    eprintln!(
                        "{who}: published {} files ({} KiB) to {}",
                        pass.written,
                        pass.bytes.div_ceil(1024),
                        bucket.url
                    );
                }
                failures = 0;
                first = false;
            }
        }
    }
}

/// The files of `site` as the bucket gets them (uncompressed: a CDN compresses for the reader
/// who accepts it).
pub fn files_of(site: &super::site::Site) -> Files {
    let mut files = Files::uncompressed();
    for (name, body) in &site.files {
        files.insert(name, body.clone(), super::site::cache_control(name));
    }
    files
}

/// Publishes `files` once (`jauge build --publish-to`): each file is written, and the earlier
/// content-hashed files that no run has written for [`EARLIER_CARDS_KEPT`] are deleted (every
/// run writes again the files it names, so their age is the time since a run last named them).
///
/// # Errors
///
/// [`CliError::Publish`]: the bucket could not be listed or a file written; the message says
/// which and why.
pub fn publish_once(bucket: &Bucket, files: &Files) -> Result<(usize, usize), CliError> {
    let runtime = runtime()?;
    runtime.block_on(async {
        let mut published = Published::default();
        let failed = |reason| CliError::Publish {
            url: bucket.url.clone(),
            reason,
        };
        published.look(bucket, true).await.map_err(failed)?;
        let pass = published.pass(bucket, files).await;
        match pass.failed {
            None => Ok((pass.written, pass.bytes)),
            Some(reason) => Err(failed(reason)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    fn memory() -> Bucket {
        Bucket {
            store: Arc::new(InMemory::new()),
            prefix: ObjectPath::from("campaign"),
            url: "s3://memory/campaign".into(),
        }
    }

    fn site(files: &[(&str, &str)]) -> Files {
        let mut site = Files::uncompressed();
        for (name, body) in files {
            site.insert(
                name,
                body.as_bytes().to_vec(),
                super::super::site::cache_control(name),
            );
        }
        site
    }

    fn names(bucket: &Bucket) -> Vec<String> {
        use futures_util::StreamExt;
        runtime().unwrap().block_on(async {
            let mut names: Vec<String> = bucket
                .store
                .list(None)
                .map(|meta| meta.unwrap().location.to_string())
                .collect()
                .await;
            names.sort();
            names
        })
    }

    #[test]
    fn only_what_changed_is_written_with_its_type_and_cache_rule() {
        let bucket = memory();
        let runtime = runtime().unwrap();
        let mut published = Published::default();
        let first = site(&[
            ("index.html", "<p>1</p>"),
            ("status.json", "{}"),
            ("card-0123456789.png", "png"),
            ("_headers", "/status.json\n"),
        ]);
        let pass = runtime.block_on(published.pass(&bucket, &first));
        assert!(pass.failed.is_none());
        assert_eq!(pass.written, 3, "_headers is not a public file");
        assert_eq!(
            names(&bucket),
            [
                "campaign/card-0123456789.png",
                "campaign/index.html",
                "campaign/status.json"
            ]
        );
        let got = runtime
            .block_on(bucket.store.get(&bucket.path("status.json")))
            .unwrap();
        assert_eq!(
            got.attributes
                .get(&Attribute::ContentType)
                .map(|v| v.as_ref()),
            Some("application/json")
        );
        assert_eq!(
            got.attributes
                .get(&Attribute::CacheControl)
                .map(|v| v.as_ref()),
            Some(super::super::site::STATUS_CACHE_CONTROL)
        );
        // One file changed: one write.
        let second = site(&[
            ("index.html", "<p>1</p>"),
            ("status.json", "{\"n\":1}"),
            ("card-0123456789.png", "png"),
        ]);
        let pass = runtime.block_on(published.pass(&bucket, &second));
        assert_eq!((pass.written, pass.deleted), (1, 0));
        let body = runtime.block_on(async {
            let got = bucket.store.get(&bucket.path("status.json")).await.unwrap();
            got.bytes().await.unwrap()
        });
        assert_eq!(&body[..], b"{\"n\":1}");
    }

    #[test]
    fn files_that_left_the_site_are_deleted_only_when_due() {
        let bucket = memory();
        let runtime = runtime().unwrap();
        // Something else in the folder, and an earlier run's card and bundle.
        for name in ["notes.txt", "card-aaaaaaaaaa.png", "jauge-bbbbbbbbbb.js"] {
            runtime
                .block_on(bucket.store.put(&bucket.path(name), "x".into()))
                .unwrap();
        }
        let mut published = Published::default();
        runtime.block_on(published.look(&bucket, false)).unwrap();
        assert_eq!(
            published.leaving.keys().collect::<Vec<_>>(),
            ["card-aaaaaaaaaa.png", "jauge-bbbbbbbbbb.js"],
            "only content-hashed files are jauge's to delete"
        );
        let one = site(&[("index.html", "1"), ("card-1111111111.png", "1")]);
        runtime.block_on(published.pass(&bucket, &one));
        let two = site(&[("index.html", "2"), ("card-2222222222.png", "2")]);
        let pass = runtime.block_on(published.pass(&bucket, &two));
        assert_eq!(pass.deleted, 0, "a page cached a moment ago may name them");
        assert!(names(&bucket).contains(&"campaign/card-1111111111.png".to_owned()));
        // Ten minutes later.
        for left in published.leaving.values_mut() {
            *left = Instant::now() - EARLIER_CARDS_KEPT - Duration::from_secs(1);
        }
        let pass = runtime.block_on(published.pass(&bucket, &two));
        assert_eq!(pass.deleted, 3);
        assert_eq!(
            names(&bucket),
            [
                "campaign/card-2222222222.png",
                "campaign/index.html",
                "campaign/notes.txt"
            ]
        );
    }

    #[test]
    fn a_file_back_in_the_site_is_not_deleted() {
        let bucket = memory();
        let runtime = runtime().unwrap();
        let mut published = Published::default();
        let with = site(&[("card-1111111111.png", "1")]);
        runtime.block_on(published.pass(&bucket, &with));
        runtime.block_on(published.pass(&bucket, &site(&[])));
        assert!(published.leaving.contains_key("card-1111111111.png"));
        runtime.block_on(published.pass(&bucket, &with));
        for left in published.leaving.values_mut() {
            *left = Instant::now() - EARLIER_CARDS_KEPT - Duration::from_secs(1);
        }
        let pass = runtime.block_on(published.pass(&bucket, &with));
        assert_eq!(pass.deleted, 0);
        assert_eq!(names(&bucket), ["campaign/card-1111111111.png"]);
    }

    #[test]
    fn a_file_gone_from_the_bucket_is_written_again_after_a_look() {
        let bucket = memory();
        let runtime = runtime().unwrap();
        let mut published = Published::default();
        let files = site(&[("index.html", "1"), ("jauge-0123456789.js", "js")]);
        assert_eq!(runtime.block_on(published.pass(&bucket, &files)).written, 2);
        assert_eq!(runtime.block_on(published.pass(&bucket, &files)).written, 0);
        // Deleted behind jauge's back (a lifecycle rule, a bucket emptied by hand).
        runtime
            .block_on(bucket.store.delete(&bucket.path("jauge-0123456789.js")))
            .unwrap();
        runtime.block_on(published.look(&bucket, false)).unwrap();
        let pass = runtime.block_on(published.pass(&bucket, &files));
        assert_eq!(pass.written, 1);
        assert_eq!(
            names(&bucket),
            ["campaign/index.html", "campaign/jauge-0123456789.js"]
        );
        // Its own files are not taken for an earlier run's.
        assert!(published.leaving.is_empty());
    }

    #[test]
    fn an_address_that_is_not_a_bucket_is_refused_by_name() {
        let secrets = Secrets::default();
        for url in [
            "https://example.org/site",
            "s3://",
            "s3:/bucket",
            "s3://bucket/a//b",
        ] {
            let error = Bucket::open("--publish-to", url, &secrets).unwrap_err();
            let said = error.to_string();
            assert!(said.starts_with(&format!("--publish-to {url:?}")), "{said}");
        }
        let bucket = Bucket::open("--publish-to", "s3://bucket/a/b/", &secrets).unwrap();
        assert_eq!(format!("{bucket:?}"), "s3://bucket/a/b");
        assert_eq!(bucket.path("status.json").as_ref(), "a/b/status.json");
        let root = Bucket::open("--publish-to", "s3://bucket", &secrets).unwrap();
        assert_eq!(root.path("status.json").as_ref(), "status.json");
    }
}
