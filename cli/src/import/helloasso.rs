//! HelloAsso payment exports (CSV with French headers, `;`-separated, amounts like `1 234,50`).
//!
//! Recognised headers (case and accents ignored): `Référence du paiement` (or `Numéro`), `Date du
//! paiement` (`dd/mm/yyyy hh:mm[:ss]`, local time, Europe/Paris unless `--time-zone`), `Montant du
//! paiement`, `Statut du paiement`, and optionally `Moyen de paiement`, `Email`, `Type`,
//! `Référence commande` (the subscription of a monthly gift) and `Montant remboursé`.

use jauge::{Channel, Currency, Donation, DonationStatus, Interval};

use super::table::{donor_field, local_to_utc, money_field, normalise, parse_naive, Table};
use super::{Batch, Context, Entry};
use crate::amount::DecimalSeparator;
use crate::error::{CliError, InputError};

pub fn parse(table: Table, context: &Context) -> Result<Batch, CliError> {
    let id = table.require(&[
        "reference du paiement",
        "reference paiement",
        "numero du paiement",
        "numero",
        "reference",
    ])?;
    let date = table.require(&["date du paiement", "date paiement", "date"])?;
    let amount = table.require(&["montant du paiement", "montant paiement", "montant"])?;
    let status = table.require(&["statut du paiement", "statut paiement", "statut", "etat"])?;
    let means = table.column(&["moyen de paiement", "moyen paiement", "mode de paiement"]);
    let email = table.column(&["email payeur", "email", "e-mail", "adresse email"]);
    let kind = table.column(&["type de don", "type de paiement", "type", "formule"]);
    let order = table.column(&[
        "reference commande",
        "reference de la commande",
        "numero de commande",
    ]);
    let refunded = table.column(&["montant rembourse"]);
    let zone = context.zone.unwrap_or(chrono_tz::Europe::Paris);
    let currency = context.currency.unwrap_or(Currency::EUR);
    let separator = match context.decimal {
        DecimalSeparator::Auto => DecimalSeparator::Comma,
        chosen => chosen,
    };
    Ok(table.into_batch(|table, row| {
        let bad = |column: usize, message: String| InputError::new(table.at(row, column), message);
        let reference = table.get(row, Some(id));
        let gift = money_field(table, row, amount, currency, separator)?;
        let local = parse_naive(
            table.get(row, Some(date)),
            &["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"],
        )
        .map_err(|e| bad(date, e))?;
        let received = local_to_utc(local, zone).map_err(|e| bad(date, e))?;
        let whole = |e: jauge::DonationError| InputError::new(table.at(row, id), e.to_string());
        let mut donation = Donation::try_new(format!("helloasso:{reference}"), gift, received).map_err(whole)?;
        let state = normalise(table.get(row, Some(status)));
        let new_status = match state.as_str() {
            "autorise" | "valide" | "paye" | "effectue" | "authorized" | "processed" => DonationStatus::Confirmed,
            "en attente" | "enregistre" | "pending" | "registered" => DonationStatus::Pending,
            "refuse" | "annule" | "echoue" | "refused" | "canceled" | "cancelled" | "conteste" | "contested" => {
                DonationStatus::Failed
            }
            "rembourse" | "remboursement en cours" | "refunded" | "refunding" => {
                let back = match refunded.filter(|c| !table.get(row, Some(*c)).is_empty()) {
                    Some(column) => money_field(table, row, column, currency, separator)?,
                    None => gift,
                };
                DonationStatus::Refunded { refunded: back }
            }
            other => {
                return Err(bad(
                    status,
                    format!("{other:?}: expected Autorisé, Validé, Payé, En attente, Refusé, Annulé or Remboursé"),
                ))
            }
        };
        donation = donation.with_status(new_status).map_err(whole)?;
        let kind_text = normalise(table.get(row, kind));
        let interval = if kind_text.contains("mensuel") || kind_text.contains("monthly") {
            Some(Interval::Monthly)
        } else if kind_text.contains("annuel") || kind_text.contains("yearly") {
            Some(Interval::Yearly)
        } else {
            None
        };
        if let Some(interval) = interval {
            let subscription = Some(table.get(row, order)).filter(|o| !o.is_empty()).unwrap_or(reference);
            donation = donation.recurring(interval, format!("helloasso:{subscription}")).map_err(whole)?;
        }
        let means_text = normalise(table.get(row, means));
        let channel = if means_text.is_empty() || means_text.contains("carte") || means_text.contains("card") {
            Channel::Online
        } else if means_text.contains("cheque") || means_text.contains("especes") || means_text.contains("cash") {
            Channel::Offline
        } else if ["prelevement", "sepa", "virement", "transfer"].iter().any(|w| means_text.contains(w)) {
            Channel::BankTransfer
        } else {
            Channel::Other
        };
        donation = donation.with_channel(channel);
        if let Some(key) = donor_field(table, row, email) {
            donation = donation.with_donor(key);
        }
        Ok(Entry::Gift(donation))
    }))
}
