//! `jauge build`: every artefact, as one static folder.

use std::path::PathBuf;

use super::SiteArgs;
use crate::error::CliError;
use crate::publish::bucket::{self, Bucket};
use crate::publish::site;
use crate::webhook::Secrets;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// The folder to write (replaced whole; untouched if nothing changed).
    #[arg(long, required_unless_present = "publish_to")]
    out: Option<PathBuf>,
    /// An S3-compatible bucket (`s3://bucket/folder`) to write the public files to, with or
    /// without --out; credentials and endpoint from the AWS_* variables (the keys also from
    /// --secrets).
    #[arg(long, value_name = "S3_URL")]
    publish_to: Option<String>,
    /// A file of secrets (`NAME=value` lines, readable by its owner only), for the bucket's
    /// keys; the environment's variables of the same names win over it.
    #[arg(long, requires = "publish_to")]
    secrets: Option<PathBuf>,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let options = args.site.options()?;
    // The bucket's settings are checked before anything is built.
    let bucket = match &args.publish_to {
        Some(url) => {
            let secrets = Secrets::load(args.secrets.as_deref(), |name| std::env::var(name).ok())?;
            Some(Bucket::open("--publish-to", url, &secrets)?)
        }
        None => None,
    };
    let mut built = site::render_site(&args.site.at.campaign, &options)?;
    let widget = match site::WidgetSource::named(options.widget.as_deref()) {
        site::WidgetSource::Folder(dir) => format!("from {}", dir.display()),
        site::WidgetSource::Embedded => "built into jauge".to_owned(),
    };
    if let Some(bucket) = &bucket {
        let (written, bytes) = bucket::publish_once(bucket, &bucket::files_of(&built))?;
        eprintln!(
            "{bucket:?}: {written} files written ({} KiB, widget {widget})",
            bytes.div_ceil(1024)
        );
    }
    if let Some(out) = &args.out {
        site::add_compressed_copies(&mut built);
        let summary = site::write_site(&built, out)?;
        eprintln!(
            "{}: {} files written, {} unchanged, {} removed (widget {widget})",
            out.display(),
            summary.written,
            summary.unchanged,
            summary.removed
        );
    }
    if site::previews_need_base_url(&options) {
        eprintln!(
            "jauge: link previews (Mastodon, Discourse, chat apps) need absolute addresses: give \
             --base-url with the folder's public address (https://example.org/campaign/) so that \
             og:image and og:url name the card and the page, and so that blogs (WordPress's \
             oEmbed) can embed the gauge from a pasted link"
        );
    }
    Ok(())
}
