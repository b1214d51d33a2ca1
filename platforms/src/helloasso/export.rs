//! HelloAsso exports (CSV with French headers, `;`-separated, UTF-8 with a byte-order mark,
//! CRLF, amounts like `1 234,50`, local times `dd/mm/yyyy hh:mm[:ss]` or a bare date), in the
//! layouts the back office writes. Headers are matched without regard to case or accents.
//!
//! - **Paiements** (payments): `Référence commande;Référence paiement;Montant total;Date du
//!   paiement;Statut du paiement;…;Email payeur;Campagne;Type de campagne;Montant du tarif;Montant
//!   des options;Don supplémentaire;…;Moyen de paiement`. One row per payment, named
//!   `helloasso:<Référence paiement>` as the webhooks name it. Toward a donation campaign only the
//!   donation counts: the whole payment of a donation form (`Type de campagne` Don, Donation,
//!   Crowdfunding), and only the `Don supplémentaire` of a membership, a ticket or a sale (a
//!   payment without one is not a gift, and is counted as such). An older layout with `Montant
//!   du paiement` (and optionally `Type`, `Montant remboursé`) is read too.
//! - **Commandes / participants** (orders of one form): `Référence commande;Date de la
//!   commande;Statut de la commande;…;Email payeur;…;Moyen de paiement;Tarif;Montant tarif;Code
//!   Promo;Montant code promo;…`. The order is the transaction: `helloasso:order:<Référence
//!   commande>`. A tarif whose name says it is a gift (`Don`, `Don libre`, `Donation`) counts
//!   whole, less its promo code; otherwise only a `Don supplémentaire` column counts.
//!
//! `--form NAME` keeps the rows of one form (`Campagne`); the others are counted as not gifts.

use jauge::{Channel, Currency, DonationStatus, Interval, Money};

use super::Payment;
use crate::amount::DecimalSeparator;
use crate::export::{Batch, Context, Entry};
use crate::table::{local_to_utc, money_field, normalise, parse_naive, Row, Table};
use crate::{InputError, Location};

const DATE_FORMATS: [&str; 5] = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
];

/// Where each field is, in whichever layout the file has.
struct Columns {
    id: usize,
    /// `Some` for the orders layout: ids are `helloasso:order:…`.
    orders: bool,
    date: usize,
    amount: usize,
    status: usize,
    means: Option<usize>,
    email: Option<usize>,
    kind: Option<usize>,
    order: Option<usize>,
    refunded: Option<usize>,
    form: Option<usize>,
    form_type: Option<usize>,
    tarif: Option<usize>,
    promo: Option<usize>,
    extra_gift: Option<usize>,
}

fn columns(table: &Table) -> Result<Columns, InputError> {
    let payment = table.column(&[
        "reference paiement",
        "reference du paiement",
        "numero du paiement",
        "numero",
        "reference",
    ]);
    let order = table.column(&[
        "reference commande",
        "reference de la commande",
        "numero de commande",
    ]);
    let common = |id: usize, orders: bool, date: usize, amount: usize, status: usize| Columns {
        id,
        orders,
        date,
        amount,
        status,
        means: table.column(&["moyen de paiement", "moyen paiement", "mode de paiement"]),
        email: table.column(&["email payeur", "email", "e-mail", "adresse email"]),
        kind: table.column(&["type de don", "type de paiement", "type", "formule"]),
        order,
        refunded: table.column(&["montant rembourse"]),
        form: table.column(&["campagne", "formulaire", "nom de la campagne"]),
        form_type: table.column(&["type de campagne", "type de formulaire"]),
        tarif: table.column(&["tarif"]),
        promo: table.column(&["montant code promo", "montant du code promo"]),
        extra_gift: table.column(&["don supplementaire", "montant du don supplementaire"]),
    };
    match (payment, order) {
        (Some(id), _) => Ok(common(
            id,
            false,
            table.require(&["date du paiement", "date paiement", "date"])?,
            table.require(&["montant du paiement", "montant total", "montant paiement", "montant"])?,
            table.require(&["statut du paiement", "statut paiement", "statut", "etat"])?,
        )),
        (None, Some(id)) if table.column(&["date de la commande"]).is_some() => Ok(common(
            id,
            true,
            table.require(&["date de la commande"])?,
            table.require(&["montant tarif", "montant total", "montant"])?,
            table.require(&["statut de la commande", "statut"])?,
        )),
        _ => Err(InputError::new(
            Location::line(&table.path, 1),
            "not a HelloAsso export jauge knows: expected the payments export (Référence paiement, \
             Montant total, Date du paiement, Statut du paiement) or a form's orders export \
             (Référence commande, Date de la commande, Statut de la commande, Montant tarif)"
                .to_owned(),
        )),
    }
}

/// Whether a form type (`Type de campagne`) is one whose payments are gifts as a whole.
fn gives_whole(form_type: &str) -> bool {
    let form_type = normalise(form_type);
    form_type.is_empty()
        || form_type.starts_with("don")
        || form_type.contains("formulaire de don")
        || form_type.contains("crowdfunding")
        || form_type.contains("collecte")
}

/// Whether a tarif's name says it is a gift.
fn tarif_is_gift(tarif: &str) -> bool {
    let tarif = normalise(tarif);
    tarif == "don" || tarif.starts_with("don ") || tarif.contains("donation")
}

pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    let at = columns(&table)?;
    let wanted_form = context.form.as_deref().map(normalise);
    if wanted_form.is_some() && at.form.is_none() {
        return Err(InputError::new(
            Location::line(&table.path, 1),
            "--form keeps one form's rows, but this export has no Campagne column: it holds one form already",
        ));
    }
    let zone = context.zone.unwrap_or(chrono_tz::Europe::Paris);
    let currency = context.currency.unwrap_or(Currency::EUR);
    let separator = match context.decimal {
        DecimalSeparator::Auto => DecimalSeparator::Comma,
        chosen => chosen,
    };
    Ok(table.into_batch(|table, row| {
        if let (Some(wanted), Some(column)) = (&wanted_form, at.form) {
            let form = table.get(row, Some(column));
            if &normalise(form) != wanted {
                return Ok(Entry::NotAGift(format!("helloasso form {form:?}")));
            }
        }
        let amount = |column: Option<usize>| -> Result<Option<Money>, InputError> {
            match column.filter(|c| !table.get(row, Some(*c)).is_empty()) {
                Some(c) => money_field(table, row, c, currency, separator).map(Some),
                None => Ok(None),
            }
        };
        let zero = Money::zero(currency);
        let whole = money_field(table, row, at.amount, currency, separator)?;
        let donation_part = amount(at.extra_gift)?.unwrap_or(zero);
        let gift = if at.orders {
            let tarif = table.get(row, at.tarif);
            if tarif_is_gift(tarif) {
                let promo = amount(at.promo)?.unwrap_or(zero);
                let promo = Money::try_new(promo.amount().abs(), currency)
                    .map_err(|e| InputError::new(table.at(row, at.amount), e.to_string()))?;
                whole
                    .checked_sub(promo)
                    .map_err(|e| InputError::new(table.at(row, at.amount), e.to_string()))?
            } else if donation_part.amount().is_zero() {
                return Ok(Entry::NotAGift(format!(
                    "helloasso tarif {tarif:?} without a donation"
                )));
            } else {
                donation_part
            }
        } else if gives_whole(table.get(row, at.form_type)) {
            whole
        } else if donation_part.amount().is_zero() {
            let form_type = table.get(row, at.form_type);
            return Ok(Entry::NotAGift(format!(
                "helloasso {form_type} without a donation"
            )));
        } else {
            donation_part
        };
        gift_of(table, row, &at, gift, context, zone, currency, separator)
    }))
}

#[allow(clippy::too_many_arguments)]
fn gift_of(
    table: &Table,
    row: &Row,
    at: &Columns,
    gift: Money,
    context: &Context,
    zone: chrono_tz::Tz,
    currency: Currency,
    separator: DecimalSeparator,
) -> Result<Entry, InputError> {
    let _ = context;
    let bad = |column: usize, message: String| InputError::new(table.at(row, column), message);
    let reference = table.get(row, Some(at.id));
    if reference.is_empty() {
        return Err(bad(at.id, "empty: every payment has a reference".into()));
    }
    let local =
        parse_naive(table.get(row, Some(at.date)), &DATE_FORMATS).map_err(|e| bad(at.date, e))?;
    let received = local_to_utc(local, zone).map_err(|e| bad(at.date, e))?;
    let whole = |e: jauge::DonationError| InputError::new(table.at(row, at.id), e.to_string());
    let id = if at.orders {
        format!("order:{reference}")
    } else {
        reference.to_owned()
    };
    let state = normalise(table.get(row, Some(at.status)));
    let mut offline = false;
    let new_status = match state.as_str() {
        "autorise" | "valide" | "paye" | "effectue" | "authorized" | "processed" => DonationStatus::Confirmed,
        // A payment the association entered itself (a cheque, cash at a stall).
        "hors ligne" | "hors-ligne" | "offline" => {
            offline = true;
            DonationStatus::Confirmed
        }
        "en attente" | "enregistre" | "pending" | "registered" => DonationStatus::Pending,
        "refuse" | "annule" | "echoue" | "refused" | "canceled" | "cancelled" | "conteste" | "contested" => {
            DonationStatus::Failed
        }
        "rembourse" | "remboursement en cours" | "refunded" | "refunding" => {
            let back = match at.refunded.filter(|c| !table.get(row, Some(*c)).is_empty()) {
                Some(column) => {
                    let back = money_field(table, row, column, currency, separator)?;
                    // A membership's refund gives back at most its donation part here.
                    if back.checked_cmp(&gift).is_ok_and(|o| o.is_gt()) { gift } else { back }
                }
                None => gift,
            };
            DonationStatus::Refunded { refunded: back }
        }
        _ => {
            return Err(bad(
                at.status,
                format!(
                    "{:?}: expected Autorisé, Validé, Payé, Hors ligne, En attente, Refusé, Annulé or Remboursé",
                    table.get(row, Some(at.status))
                ),
            ))
        }
    };
    let kind_text = normalise(table.get(row, at.kind));
    let interval = if kind_text.contains("mensuel") || kind_text.contains("monthly") {
        Some(Interval::Monthly)
    } else if kind_text.contains("annuel") || kind_text.contains("yearly") {
        Some(Interval::Yearly)
    } else {
        None
    };
    let subscription = Some(table.get(row, at.order))
        .filter(|o| !o.is_empty())
        .unwrap_or(reference);
    let means_text = normalise(table.get(row, at.means));
    let channel = if offline
        || means_text.contains("cheque")
        || means_text.contains("especes")
        || means_text.contains("cash")
    {
        Channel::Offline
    } else if means_text.is_empty() || means_text.contains("carte") || means_text.contains("card") {
        Channel::Online
    } else if ["prelevement", "sepa", "virement", "transfer"]
        .iter()
        .any(|w| means_text.contains(w))
    {
        Channel::BankTransfer
    } else {
        Channel::Other
    };
    let donation = Payment {
        id: &id,
        amount: gift,
        date: received,
        status: new_status,
        channel,
        payer: Some(table.get(row, at.email)),
        subscription: interval.map(|i| (i, subscription)),
    }
    .gift()
    .map_err(whole)?;
    Ok(Entry::Gift(donation))
}
