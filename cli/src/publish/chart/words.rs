//! The charts' words, in each language.

use jauge::Locale;

pub(super) struct Words {
    pub(super) cumulative: &'static str,
    pub(super) daily: &'static str,
    pub(super) apart: &'static str,
    pub(super) raised: &'static str,
    pub(super) goal: &'static str,
    pub(super) needed: &'static str,
    pub(super) projection: &'static str,
    pub(super) one_off: &'static str,
    pub(super) recurring: &'static str,
    /// The last day, still under way.
    pub(super) so_far: &'static str,
}

pub(super) fn words(locale: Locale) -> Words {
    let w =
        |cumulative, daily, apart, raised, goal, needed, projection, one_off, recurring| Words {
            cumulative,
            daily,
            apart,
            raised,
            goal,
            needed,
            projection,
            one_off,
            recurring,
            so_far: match locale {
                Locale::En => "today so far",
                Locale::Fr => "aujourd’hui, en cours",
                Locale::De => "heute bisher",
                Locale::Es => "hoy, hasta ahora",
                Locale::It => "oggi finora",
                Locale::Nl => "vandaag tot nu toe",
            },
        };
    match locale {
        Locale::En => w(
            "Money raised",
            "Money per day",
            "Recurring and one-off giving",
            "raised",
            "goal",
            "pace needed",
            "projection",
            "one-off",
            "recurring",
        ),
        Locale::Fr => w(
            "Dons collectés",
            "Dons par jour",
            "Dons récurrents et ponctuels",
            "collecté",
            "objectif",
            "rythme nécessaire",
            "projection",
            "ponctuels",
            "récurrents",
        ),
        Locale::De => w(
            "Gesammelte Spenden",
            "Spenden pro Tag",
            "Regelmäßige und einmalige Spenden",
            "gesammelt",
            "Ziel",
            "nötiges Tempo",
            "Prognose",
            "einmalig",
            "regelmäßig",
        ),
        Locale::Es => w(
            "Donaciones recaudadas",
            "Donaciones por día",
            "Donaciones recurrentes y puntuales",
            "recaudado",
            "objetivo",
            "ritmo necesario",
            "proyección",
            "puntuales",
            "recurrentes",
        ),
        Locale::It => w(
            "Donazioni raccolte",
            "Donazioni al giorno",
            "Donazioni ricorrenti e una tantum",
            "raccolto",
            "obiettivo",
            "ritmo necessario",
            "proiezione",
            "una tantum",
            "ricorrenti",
        ),
        Locale::Nl => w(
            "Opgehaald",
            "Giften per dag",
            "Terugkerende en eenmalige giften",
            "opgehaald",
            "doel",
            "nodig tempo",
            "prognose",
            "eenmalig",
            "terugkerend",
        ),
    }
}
