//! `jauge build`: every artefact, as one static folder.

use std::path::PathBuf;

use super::SiteArgs;
use crate::error::CliError;
use crate::publish::site;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// The folder to write (replaced whole; untouched if nothing changed).
    #[arg(long)]
    out: PathBuf,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let options = args.site.options()?;
    let mut built = site::render_site(&args.site.at.campaign, &options)?;
    site::add_compressed_copies(&mut built);
    let summary = site::write_site(&built, &args.out)?;
    let widget = match site::WidgetSource::named(options.widget.as_deref()) {
        site::WidgetSource::Folder(dir) => format!("from {}", dir.display()),
        site::WidgetSource::Embedded => "built into jauge".to_owned(),
    };
    eprintln!(
        "{}: {} files written, {} unchanged, {} removed (widget {widget})",
        args.out.display(),
        summary.written,
        summary.unchanged,
        summary.removed
    );
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
