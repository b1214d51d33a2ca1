//! The demo: the example campaign's status at an instant, from a generated year-end ledger.
//!
//! ```text
//! cargo xtask demo [--at 2023-12-26T08:00:00+01:00|now] [--lang fr] [--json] [--out status.json]
//! ```
//!
//! The ledger is generated (seeded, so every run is the same) with the shape of a real year-end
//! campaign: most gifts in the last two weeks, about 10 % monthly donors, 1 % refunds, card fees.

use std::process::ExitCode;

use chrono::{DateTime, Duration, Utc};
use jauge::{
    Campaign, Channel, Currency, Donation, DonationStatus, Interval, Locale, Money, StatusDocument,
};

const CAMPAIGN: &str = include_str!("framasoft-2023/campaign.toml");
const DEFAULT_AT: &str = "2023-12-26T08:00:00+01:00";
const USAGE: &str =
    "usage: demo [--at RFC3339|now] [--lang en|fr|de|es|it|nl] [--json] [--out FILE]";

struct Options {
    at: DateTime<Utc>,
    locale: Locale,
    json: bool,
    out: Option<String>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        at: DateTime::parse_from_rfc3339(DEFAULT_AT)
            .map_err(|e| e.to_string())?
            .to_utc(),
        locale: Locale::En,
        json: false,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--at" => {
                let at = value("--at")?;
                options.at = if at == "now" {
                    Utc::now()
                } else {
                    DateTime::parse_from_rfc3339(&at)
                        .map_err(|e| {
                            format!("--at {at:?}: {e}; expected RFC 3339 such as {DEFAULT_AT}")
                        })?
                        .to_utc()
                };
            }
            "--lang" => {
                options.locale = Locale::from_tag(&value("--lang")?).map_err(|e| e.to_string())?
            }
            "--json" => options.json = true,
            "--out" => options.out = Some(value("--out")?),
            "-h" | "--help" => return Err(format!("{USAGE}\ndefault instant: {DEFAULT_AT}")),
            other => return Err(format!("unknown argument {other:?}; try --help")),
        }
    }
    Ok(options)
}

/// SplitMix64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Gift amounts in euros and how often each is given.
const AMOUNTS: [(i64, u64); 12] = [
    (5, 4),
    (10, 14),
    (15, 6),
    (20, 16),
    (25, 6),
    (30, 14),
    (50, 20),
    (80, 4),
    (100, 10),
    (200, 4),
    (500, 1),
    (1000, 1),
];

fn pick_amount(rng: &mut Rng) -> i64 {
    let total: u64 = AMOUNTS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for (amount, weight) in AMOUNTS {
        if roll < weight {
            return amount;
        }
        roll -= weight;
    }
    AMOUNTS[0].0
}

fn eur(cents: i64) -> Money {
    Money::from_minor(cents, Currency::EUR)
}

/// Card fees as a French payment provider charges them: 1.4 % + €0.25.
fn card_fee(cents: i64) -> Money {
    eur((cents * 14 + 500) / 1000 + 25)
}

fn generate_ledger(campaign: &Campaign) -> Result<Vec<Donation>, jauge::DonationError> {
    let mut rng = Rng(2023);
    let start = campaign.start();
    let days = (campaign.deadline() - start).num_days();
    let mut ledger = Vec::new();
    let mut next_id = 0;
    let mut id = || {
        next_id += 1;
        format!("demo-{next_id:06}")
    };
    for day in 0..days {
        // Year-end shape: a slow start, then most gifts in the last two weeks.
        let progress = day as f64 / days as f64;
        let gifts = (24.0 + 330.0 * progress.powi(4)) as u64 + rng.below(10);
        for _ in 0..gifts {
            let at = start + Duration::days(day) + Duration::seconds(rng.below(86_400) as i64);
            let cents = pick_amount(&mut rng) * 100;
            let donor = format!("donor-{}", rng.below(60_000));
            let mut gift = Donation::try_new(id(), eur(cents), at)?.with_donor(&donor);
            match rng.below(100) {
                0..=4 => gift = gift.with_channel(Channel::Offline),
                5..=14 => gift = gift.with_channel(Channel::BankTransfer),
                _ => gift = gift.with_fee(card_fee(cents))?,
            }
            if rng.chance(10) {
                // A new monthly donor: this payment, then one a month later if it falls in time.
                let subscription = format!("sub-{}", id());
                let monthly = eur(cents / 4);
                let first = Donation::try_new(id(), monthly, at)?
                    .with_donor(&donor)
                    .with_fee(card_fee(cents / 4))?
                    .recurring(Interval::Monthly, &subscription)?;
                ledger.push(first);
                let again = at + Duration::days(30);
                if again < campaign.deadline() {
                    let second = Donation::try_new(id(), monthly, again)?
                        .with_donor(&donor)
                        .with_fee(card_fee(cents / 4))?
                        .recurring(Interval::Monthly, &subscription)?;
                    ledger.push(second);
                }
                continue;
            }
            if rng.chance(1) {
                let refunded = if rng.chance(50) { cents } else { cents / 2 };
                gift = gift.with_status(DonationStatus::Refunded {
                    refunded: eur(refunded),
                })?;
            } else if rng.chance(1) {
                gift = gift.with_status(DonationStatus::Pending)?;
            } else if rng.chance(1) {
                gift = gift.with_status(DonationStatus::Failed)?;
            }
            ledger.push(gift);
        }
    }
    Ok(ledger)
}

fn print_text(status: &StatusDocument, locale: Locale) {
    let money = |m: Money| locale.format_money(m);
    let campaign = status.campaign();
    let zone: chrono_tz::Tz = campaign.time_zone.parse().unwrap_or(chrono_tz::UTC);
    println!(
        "{} — as of {} ({})",
        campaign.name,
        status.as_of().with_timezone(&zone).format("%Y-%m-%d %H:%M"),
        campaign.time_zone
    );
    println!(
        "  raised        {} of {} ({})",
        money(status.raised()),
        money(campaign.goal),
        locale.format_percent(status.percent_display() as i64)
    );
    println!("  still to raise {}", money(status.remaining()));
    println!("  time left     {}", status.time().left.phrase(locale));
    println!(
        "  donors        {} ({} gifts)",
        status.donors(),
        status.donations()
    );
    if let Some(next) = status.next_milestone() {
        println!("  next milestone {} at {}", next.label, money(next.amount));
    }
    let pace = status.pace();
    println!(
        "  pace          {} a day over the last {} days",
        money(pace.trailing_per_day),
        pace.trailing_days
    );
    if let Some(needed) = pace.needed_per_day {
        println!("  needed        {} a day until the deadline", money(needed));
    }
    println!(
        "  projection    {} at the deadline ({})",
        money(pace.projection),
        if pace.on_track {
            "on track"
        } else {
            "short of the goal"
        }
    );
    let b = status.breakdown();
    println!(
        "  counted       gross {}, fees {}, refunds {} ({})",
        money(b.gross),
        money(b.fees),
        money(b.refunds),
        serde_json::to_string(&status.rules()).unwrap_or_default()
    );
    println!(
        "  not counted   {} pending ({}), {} failed, {} received after this instant",
        b.pending.count,
        money(b.pending.amount),
        b.excluded.failed.count,
        b.excluded.after_as_of.count
    );
    println!();
    println!("{}", status.appeal(locale));
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    let campaign: Campaign = toml::from_str(CAMPAIGN).map_err(|e| format!("campaign.toml: {e}"))?;
    let ledger = generate_ledger(&campaign).map_err(|e| e.to_string())?;
    let status = campaign
        .status(&ledger, options.at)
        .map_err(|e| e.to_string())?;
    if let Some(out) = &options.out {
        std::fs::write(out, status.to_json_pretty() + "\n").map_err(|e| format!("{out}: {e}"))?;
        eprintln!("wrote {out}");
    }
    if options.json {
        println!("{}", status.to_json_pretty());
    } else {
        print_text(&status, options.locale);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        }
    }
}
