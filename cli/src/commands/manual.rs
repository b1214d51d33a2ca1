//! `jauge add` and `jauge void`: gifts received by hand (a cheque, cash at a stand, a transfer
//! read off the bank statement), recorded in the store through its rules and journal (who, when,
//! why), and cancelled with a reason, never deleted.

use chrono::Utc;
use jauge::{Channel, Currency, Decimal, Donation, DonationStatus, Money};
use jauge_store::{Recorded, Store, Voided};

use super::StoreArgs;
use crate::error::CliError;

/// The prefix of every gift entered by hand.
pub const PREFIX: &str = "manual:";

#[derive(clap::Args)]
pub(super) struct AddArgs {
    /// The amount (150, 150.50).
    #[arg(value_parser = parse_amount, allow_negative_numbers = true)]
    amount: Decimal,
    /// Its currency (ISO 4217: EUR).
    #[arg(value_parser = parse_currency)]
    currency: Currency,
    #[command(flatten)]
    store: StoreArgs,
    /// How it came: cheque, cash, transfer, online or other.
    #[arg(long, value_enum, default_value_t = ChannelArg::Cheque)]
    channel: ChannelArg,
    /// When it was received: a day (from its start in the campaign's zone), a wall-clock time
    /// in that zone, or RFC 3339; default: now.
    #[arg(long, value_parser = parse_received)]
    at: Option<jauge::Moment>,
    /// Who gave: an e-mail address or a name, kept only as a key (the same one a platform's
    /// gifts by the same e-mail get), so that donors are counted once.
    #[arg(long)]
    donor: Option<String>,
    /// Why, or what it is (a cheque's number): kept in the journal.
    #[arg(long)]
    note: Option<String>,
    /// The gift's own reference (a cheque's number): the id is `manual:<REF>`, and adding it
    /// again adds nothing twice; without one, each `jauge add` is a gift of its own.
    #[arg(long = "id", value_name = "REF")]
    reference: Option<String>,
    /// Announced, not received yet (a cheque in the post); `jauge add` again with the same
    /// --id, without --pending, confirms it.
    #[arg(long)]
    pending: bool,
    /// The sponsor whose matching payment this is (a campaign's `[[matching]]` pledge): it
    /// pays the pledge in, and is not itself matched.
    #[arg(long, value_name = "SPONSOR")]
    matched_by: Option<String>,
    /// Who enters it, for the journal; default: the user's login name.
    #[arg(long)]
    by: Option<String>,
}

#[derive(clap::Args)]
pub(super) struct VoidArgs {
    /// The gift entered by hand (`manual:CHQ-4512`, or `CHQ-4512`).
    id: String,
    #[command(flatten)]
    store: StoreArgs,
    /// Why (a bounced cheque, a gift entered twice): kept in the journal.
    #[arg(long)]
    reason: String,
    /// Who cancels it, for the journal; default: the user's login name.
    #[arg(long)]
    by: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ChannelArg {
    Cheque,
    Cash,
    Transfer,
    Online,
    Other,
}

impl ChannelArg {
    fn channel(self) -> Channel {
        match self {
            ChannelArg::Cheque | ChannelArg::Cash => Channel::Offline,
            ChannelArg::Transfer => Channel::BankTransfer,
            ChannelArg::Online => Channel::Online,
            ChannelArg::Other => Channel::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ChannelArg::Cheque => "cheque",
            ChannelArg::Cash => "cash",
            ChannelArg::Transfer => "transfer",
            ChannelArg::Online => "online",
            ChannelArg::Other => "other",
        }
    }
}

/// `--at` as `jauge add` reads it: a day is the day the gift came, from its start.
fn parse_received(text: &str) -> Result<jauge::Moment, String> {
    super::parse_moment(text).map_err(|e| e.replace("(the end of that day)", "(from its start)"))
}

fn parse_amount(text: &str) -> Result<Decimal, String> {
    let amount: Decimal = text.trim().parse().map_err(|_| {
        format!("{text:?} is not an amount: expected digits with a point, such as 150 or 150.50")
    })?;
    if amount <= Decimal::ZERO {
        return Err(format!(
            "{text}: a gift is above zero (jauge void cancels one)"
        ));
    }
    Ok(amount)
}

fn parse_currency(text: &str) -> Result<Currency, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| format!("{text:?} is not a currency: expected an ISO 4217 code such as EUR"))
}

/// Who is at the keyboard, for the journal.
fn who(by: Option<&str>) -> String {
    by.map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "someone".to_owned())
}

pub(super) fn add(args: AddArgs) -> Result<(), CliError> {
    let (path, zone) = args.store.path_and_zone()?;
    let zone_used = zone.unwrap_or(chrono_tz::UTC);
    let received = match &args.at {
        // A day is its start: a gift received on the 20th counts from the 20th's first instant.
        Some(moment) => moment.resolve_start(zone_used)?,
        None => Utc::now(),
    };
    let amount = Money::try_new(args.amount, args.currency).map_err(|_| CliError::Option {
        option: "AMOUNT",
        value: format!("{} {}", args.amount, args.currency),
        expected: "an amount with no more decimals than its currency has (EUR: 2, JPY: 0)",
    })?;
    let id = match &args.reference {
        Some(reference) => {
            let reference = reference.trim();
            if reference.is_empty() || reference.chars().any(char::is_control) {
                return Err(CliError::Option {
                    option: "--id",
                    value: reference.to_owned(),
                    expected: "a reference of printable characters (a cheque's number)",
                });
            }
            format!(
                "{PREFIX}{}",
                reference.strip_prefix(PREFIX).unwrap_or(reference)
            )
        }
        None => {
            // Each `jauge add` without a reference is a gift of its own: the day it was
            // received, then a hash of this entry (its instant to the nanosecond, the process).
            let mut seed = Vec::new();
            seed.extend(
                Utc::now()
                    .timestamp_nanos_opt()
                    .unwrap_or_default()
                    .to_le_bytes(),
            );
            seed.extend(std::process::id().to_le_bytes());
            seed.extend(amount.to_string().as_bytes());
            seed.extend(args.donor.as_deref().unwrap_or_default().as_bytes());
            format!(
                "{PREFIX}{}-{:08x}",
                received.with_timezone(&zone_used).format("%Y%m%d"),
                xxhash_rust::xxh3::xxh3_64(&seed) as u32
            )
        }
    };
    let status = if args.pending {
        DonationStatus::Pending
    } else {
        DonationStatus::Confirmed
    };
    let mut gift = Donation::try_new(id.clone(), amount, received)?
        .with_channel(args.channel.channel())
        .with_status(status)?;
    if let Some(donor) = args
        .donor
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        gift = gift.with_donor(jauge_platforms::donor_key(donor));
    }
    if let Some(sponsor) = args
        .matched_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        gift = gift.matched_by(sponsor);
    }
    let by = who(args.by.as_deref());
    let source = format!("jauge add, by {by}");
    let mut store = Store::create(&path)?;
    // A gift cancelled with `jauge void` stays cancelled: the store's rules would take a
    // confirmed report of it as progress.
    if let Some(voiding) = store.voided(&id)? {
        return Err(CliError::Voided {
            id,
            reason: voiding.reason,
        });
    }
    let mut writer = store.writer(Utc::now())?;
    let recorded = writer.record_noted(&gift, &source, args.note.as_deref())?;
    writer.commit()?;
    let when = received.with_timezone(&zone_used).format("%Y-%m-%d %H:%M");
    let place = path.display();
    let what = format!(
        "{amount} {} received {when} ({zone_used})",
        args.channel.name()
    );
    match recorded {
        Recorded::Added => eprintln!("{place}: added {id}: {what}{}", pending_note(args.pending)),
        Recorded::Updated { .. } => eprintln!("{place}: {id} updated: {what}, confirmed"),
        Recorded::Unchanged => {
            eprintln!("{place}: {id} is already recorded as it is: nothing added")
        }
        Recorded::Conflict { there, difference } => {
            return Err(CliError::ManualConflict {
                id,
                there,
                difference,
            })
        }
    }
    println!("{id}");
    Ok(())
}

fn pending_note(pending: bool) -> &'static str {
    if pending {
        ", pending (not counted until confirmed)"
    } else {
        ""
    }
}

pub(super) fn void(args: VoidArgs) -> Result<(), CliError> {
    let (path, zone) = args.store.path_and_zone()?;
    let zone = zone.unwrap_or(chrono_tz::UTC);
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(CliError::Option {
            option: "--reason",
            value: args.reason.clone(),
            expected: "why the gift is cancelled (a bounced cheque, entered twice)",
        });
    }
    let id = if args.id.starts_with(PREFIX) {
        args.id.clone()
    } else if args.id.contains(':') {
        return Err(CliError::NotManual {
            id: args.id.clone(),
        });
    } else {
        format!("{PREFIX}{}", args.id)
    };
    let by = who(args.by.as_deref());
    let mut store = Store::open(&path)?;
    let mut writer = store.writer(Utc::now())?;
    let done = writer.void(&id, &format!("jauge void, by {by}"), reason)?;
    writer.commit()?;
    match done {
        Voided::Applied { before } => eprintln!(
            "{}: voided {id} ({} received {} ({zone})): no longer counted; it stays in the store and its history",
            path.display(),
            before.amount(),
            before.received_at().with_timezone(&zone).format("%Y-%m-%d %H:%M")
        ),
        Voided::AlreadyVoid => eprintln!("{}: {id} was voided already: nothing changed", path.display()),
        Voided::UnknownGift => {
            return Err(CliError::UnknownGift { store: path, id })
        }
    }
    Ok(())
}
