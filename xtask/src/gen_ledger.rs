//! `cargo xtask gen-ledger`: realistic, seeded ledgers in jauge's CSV format, for the demo and the
//! benchmarks.
//!
//! The shape is a year-end campaign's: a slow start, then most gifts in the last two weeks; about
//! 10 % new monthly donors (with their next payment a month later when it falls in the campaign),
//! 1 % refunds (half of them partial), 1 % pending and 1 % failed payments, card fees on online
//! gifts, 5 % cheques and 10 % bank transfers, 5 % amounts with cents (as donors type them), and
//! donors who sometimes give twice.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use jauge::{Channel, Currency, Donation, DonationError, DonationStatus, Interval, Money};

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

/// How late giving comes by default: the weight of the last day against the first's 24.
pub const LATE: i64 = 330;

/// About `rows` donations between `start` and `deadline`; `late` is how much more the last day
/// weighs than the first ([`LATE`] for the example campaign).
pub fn generate(
    rows: u64,
    seed: u64,
    late: i64,
    start: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<Vec<Donation>, DonationError> {
    let mut rng = Rng(seed);
    let days = (deadline - start).num_days().max(1);
    // Integer weights (no floats near money): 24 + late·(d/days)^4, scaled to the rows asked for.
    let weight = |day: i64| 24 * days.pow(4) + late * day.pow(4);
    let total_weight: i64 = (0..days).map(weight).sum();
    let mut ledger = Vec::with_capacity(rows as usize + rows as usize / 10);
    let mut next_id = 0u64;
    let mut id = move || {
        next_id += 1;
        format!("gen-{next_id:08}")
    };
    for day in 0..days {
        let gifts = (i128::from(rows) * i128::from(weight(day)) / i128::from(total_weight)) as u64;
        for _ in 0..gifts {
            let at = start + Duration::days(day) + Duration::seconds(rng.below(86_400) as i64);
            // Most donors give round amounts; some type their own, cents included.
            let cents = if rng.chance(5) {
                100 + rng.below(9_900) as i64
            } else {
                pick_amount(&mut rng) * 100
            };
            let donor = format!("donor-{}", rng.below(rows.max(10) * 6 / 10));
            let mut gift = Donation::try_new(id(), eur(cents), at)?.with_donor(&donor);
            match rng.below(100) {
                0..=4 => gift = gift.with_channel(Channel::Offline),
                5..=14 => gift = gift.with_channel(Channel::BankTransfer),
                _ => gift = gift.with_fee(card_fee(cents))?,
            }
            if rng.chance(10) {
                let subscription = format!("sub-{}", id());
                let monthly = eur(cents / 4);
                for again in [at, at + Duration::days(30)] {
                    if again < deadline {
                        let payment = Donation::try_new(id(), monthly, again)?
                            .with_donor(&donor)
                            .with_fee(card_fee(cents / 4))?
                            .recurring(Interval::Monthly, &subscription)?;
                        ledger.push(payment);
                    }
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
    ledger.sort_by(|a, b| (a.received_at(), a.id()).cmp(&(b.received_at(), b.id())));
    Ok(ledger)
}

/// Writes a generated ledger for the campaign in `campaign_path`.
pub fn run(
    rows: u64,
    seed: u64,
    late: i64,
    campaign_path: &Path,
    out: &Path,
) -> Result<(), String> {
    let file =
        jauge_cli::campaign_file::CampaignFile::load(campaign_path).map_err(|e| e.to_string())?;
    let campaign = &file.campaign;
    let ledger = generate(rows, seed, late, campaign.start(), campaign.deadline())
        .map_err(|e| e.to_string())?;
    jauge_cli::ledger::write_atomically(out, |w| jauge_cli::ledger::write(w, &ledger))
        .map_err(|e| e.to_string())?;
    eprintln!("wrote {} donations to {}", ledger.len(), out.display());
    Ok(())
}
