//! Appeal sentences in every locale and state, as a reader sees them.

use jauge::{Locale, StatusDocument};

use crate::support::{eur, fixture_ledger, fixture_now, framasoft_2023, utc};

/// Built-in sentences (the campaign defines only en and fr for the running state).
fn sentences(status: &StatusDocument) -> String {
    Locale::ALL
        .iter()
        .map(|&locale| format!("{locale}: {}", status.appeal(locale)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn running_in_every_locale() {
    let campaign = framasoft_2023()
        .baseline(eur("126292.42"), "before the export")
        .build()
        .unwrap();
    let status = campaign.status(&fixture_ledger(), fixture_now()).unwrap();
    insta::assert_snapshot!(sentences(&status), @"
    en: If we are to balance our budget for 2024, we have 5 days left to raise €71,398: we can't do it without your help!
    fr: Pour boucler notre budget 2024, il nous reste 5 jours pour collecter 71 398 € : nous ne pouvons pas y arriver sans votre aide !
    de: Uns bleiben noch 5 Tage, um 71.398 € zu sammeln: Ohne Ihre Hilfe schaffen wir das nicht!
    es: Nos quedan 5 días para recaudar 71.398 €: ¡no podemos lograrlo sin tu ayuda!
    it: Ci restano 5 giorni per raccogliere 71.398 €: non possiamo farcela senza il tuo aiuto!
    nl: We hebben nog 5 dagen om € 71.398 op te halen: zonder jouw hulp lukt het niet!
    ");
}

#[test]
fn weeks_spelled_out_and_small_amounts_ungrouped() {
    let campaign = framasoft_2023()
        .baseline(eur("192601.01"), "before the export")
        .build()
        .unwrap();
    let status = campaign
        .status([], utc("2023-12-05T09:00:00+01:00"))
        .unwrap();
    insta::assert_snapshot!(sentences(&status), @"
    en: If we are to balance our budget for 2024, we have four weeks left to raise €7,399: we can't do it without your help!
    fr: Pour boucler notre budget 2024, il nous reste quatre semaines pour collecter 7 399 € : nous ne pouvons pas y arriver sans votre aide !
    de: Uns bleiben noch vier Wochen, um 7.399 € zu sammeln: Ohne Ihre Hilfe schaffen wir das nicht!
    es: Nos quedan cuatro semanas para recaudar 7399 €: ¡no podemos lograrlo sin tu ayuda!
    it: Ci restano quattro settimane per raccogliere 7399 €: non possiamo farcela senza il tuo aiuto!
    nl: We hebben nog vier weken om € 7.399 op te halen: zonder jouw hulp lukt het niet!
    ");
}

#[test]
fn last_hours_and_minutes() {
    let campaign = framasoft_2023().build().unwrap();
    let hours = campaign
        .status([], utc("2023-12-31T20:10:00+01:00"))
        .unwrap();
    let minutes = campaign
        .status([], utc("2023-12-31T23:17:00+01:00"))
        .unwrap();
    insta::assert_snapshot!(sentences(&hours) + "\n" + &sentences(&minutes), @"
    en: If we are to balance our budget for 2024, we have 3 hours left to raise €200,000: we can't do it without your help!
    fr: Pour boucler notre budget 2024, il nous reste 3 heures pour collecter 200 000 € : nous ne pouvons pas y arriver sans votre aide !
    de: Uns bleiben noch 3 Stunden, um 200.000 € zu sammeln: Ohne Ihre Hilfe schaffen wir das nicht!
    es: Nos quedan 3 horas para recaudar 200.000 €: ¡no podemos lograrlo sin tu ayuda!
    it: Ci restano 3 ore per raccogliere 200.000 €: non possiamo farcela senza il tuo aiuto!
    nl: We hebben nog 3 uur om € 200.000 op te halen: zonder jouw hulp lukt het niet!
    en: If we are to balance our budget for 2024, we have 43 minutes left to raise €200,000: we can't do it without your help!
    fr: Pour boucler notre budget 2024, il nous reste 43 minutes pour collecter 200 000 € : nous ne pouvons pas y arriver sans votre aide !
    de: Uns bleiben noch 43 Minuten, um 200.000 € zu sammeln: Ohne Ihre Hilfe schaffen wir das nicht!
    es: Nos quedan 43 minutos para recaudar 200.000 €: ¡no podemos lograrlo sin tu ayuda!
    it: Ci restano 43 minuti per raccogliere 200.000 €: non possiamo farcela senza il tuo aiuto!
    nl: We hebben nog 43 minuten om € 200.000 op te halen: zonder jouw hulp lukt het niet!
    ");
}

#[test]
fn goal_reached_before_the_deadline() {
    let campaign = framasoft_2023()
        .baseline(eur("212345.67"), "before the export")
        .build()
        .unwrap();
    let status = campaign.status(&fixture_ledger(), fixture_now()).unwrap();
    insta::assert_snapshot!(sentences(&status), @"
    en: Goal reached, thank you! €214,655 raised with 5 days to go: every extra gift takes us further.
    fr: Objectif atteint, merci ! 214 655 € collectés et il reste 5 jours : chaque don supplémentaire nous emmène plus loin.
    de: Ziel erreicht, danke! 214.655 € gesammelt, und es bleiben noch 5 Tage: Jede weitere Spende bringt uns weiter.
    es: ¡Objetivo alcanzado, gracias! 214.655 € recaudados y quedan 5 días: cada donación extra nos lleva más lejos.
    it: Obiettivo raggiunto, grazie! 214.655 € raccolti e restano 5 giorni: ogni dono in più ci porta più lontano.
    nl: Doel bereikt, dank je wel! € 214.655 opgehaald en nog 5 dagen te gaan: elke extra gift brengt ons verder.
    ");
}

#[test]
fn after_the_deadline() {
    let campaign = framasoft_2023()
        .baseline(eur("198000"), "before the export")
        .build()
        .unwrap();
    let status = campaign
        .status(&fixture_ledger(), utc("2024-01-02T10:00:00+01:00"))
        .unwrap();
    insta::assert_snapshot!(sentences(&status), @"
    en: The campaign has ended: €200,335 raised, 100% of the goal. Thank you to our 6 donors!
    fr: La campagne est terminée : 200 335 € collectés, 100 % de l’objectif. Merci à nos 6 donatrices et donateurs !
    de: Die Kampagne ist beendet: 200.335 € gesammelt, 100 % des Ziels. Danke an unsere 6 Spenderinnen und Spender!
    es: La campaña ha terminado: 200.335 € recaudados, el 100 % del objetivo. ¡Gracias a nuestros 6 donantes!
    it: La campagna è terminata: 200.335 € raccolti, il 100% dell’obiettivo. Grazie ai nostri 6 donatori!
    nl: De campagne is afgelopen: € 200.335 opgehaald, 100% van het doel. Dank aan onze 6 donateurs!
    ");
}
