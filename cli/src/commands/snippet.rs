//! `jauge snippet`: the gauge as static HTML.

use std::path::PathBuf;

use clap::ValueEnum;

use super::{emit, AtArgs};
use crate::error::CliError;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
    /// How much room the gauge has.
    #[arg(long, value_enum, default_value_t = SizeArg::Full)]
    size: SizeArg,
    /// Colours.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    theme: ThemeArg,
    /// The status document's URL, for the upgrade to the live gauge.
    #[arg(long)]
    src: Option<String>,
    /// `web`: HTML with inline SVG that the live gauge upgrades in place (a CMS, a blog, an RSS
    /// feed). `mail`: tables and a PNG of the scene, for newsletters (no SVG, no stylesheet).
    #[arg(long, value_enum, default_value_t = FormArg::Web)]
    form: FormArg,
    /// With `--form mail`: the address of the scene's PNG (`scene.png`, written by `jauge
    /// build`); mail needs an absolute one.
    #[arg(long, default_value = "scene.png")]
    image_url: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SizeArg {
    Full,
    Compact,
    Bar,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormArg {
    Web,
    Mail,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum ThemeArg {
    Light,
    Dark,
}

impl From<ThemeArg> for jauge_widget::Theme {
    fn from(theme: ThemeArg) -> Self {
        match theme {
            ThemeArg::Light => jauge_widget::Theme::Light,
            ThemeArg::Dark => jauge_widget::Theme::Dark,
        }
    }
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let status = args.at.status()?;
    if let FormArg::Mail = args.form {
        let view = jauge_widget::gauge_view(&status, args.at.lang, status.as_of());
        let html = crate::publish::mail::mail_snippet(&view, args.at.lang, &args.image_url);
        return emit(args.out.as_deref(), html.as_bytes());
    }
    let options = jauge_widget::snippet::SnippetOptions {
        locale: args.at.lang,
        size: match args.size {
            SizeArg::Full => jauge_widget::Size::Full,
            SizeArg::Compact => jauge_widget::Size::Compact,
            SizeArg::Bar => jauge_widget::Size::Bar,
        },
        theme: args.theme.into(),
        src: args.src,
        now: None,
    };
    let html = jauge_widget::snippet::snippet(&status, &options)?;
    emit(args.out.as_deref(), html.as_bytes())
}
