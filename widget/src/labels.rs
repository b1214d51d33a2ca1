//! The widget's own words, per locale. Amounts, percentages and countdowns come from the core's
//! shared formatter; only the labels around them live here.

use jauge::Locale;

/// Every label the gauge shows.
pub struct Labels {
    /// "raised" after the amount.
    pub raised: &'static str,
    /// "of" before the goal.
    pub of: &'static str,
    /// "still to raise" after the amount.
    pub to_raise: &'static str,
    /// "beyond the goal" after the surplus.
    pub beyond: &'static str,
    /// "donor" and "donors".
    pub donor: (&'static str, &'static str),
    /// "left" after the countdown.
    pub left: &'static str,
    /// "starts in" before the countdown of a campaign not started.
    pub starts: &'static str,
    /// The headline once the goal is reached.
    pub reached: &'static str,
    /// "Next milestone".
    pub next: &'static str,
    /// "Figures as of" before a time.
    pub as_of: &'static str,
    /// "The gauge" for screen readers, before the campaign name.
    pub gauge: &'static str,
    /// Shown while the first figures load.
    pub loading: &'static str,
    /// Shown when no figures can be had at all.
    pub unavailable: &'static str,
    /// The time bar's label.
    pub time_elapsed: &'static str,
    /// The money bar's label.
    pub money_raised: &'static str,
    /// The donate button, unless the campaign gives its own label.
    pub donate: &'static str,
    /// The goal's mark on the bar.
    pub goal: &'static str,
}

/// The labels for `locale`.
pub fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::En => &EN,
        Locale::Fr => &FR,
        Locale::De => &DE,
        Locale::Es => &ES,
        Locale::It => &IT,
        Locale::Nl => &NL,
    }
}

// Statics, not consts: a const table is copied into every crate (and function) that takes a
// reference to it; a static is one table (the bundle's brotli 49 B smaller).
static EN: Labels = Labels {
    raised: "raised",
    of: "of",
    to_raise: "still to raise",
    beyond: "beyond the goal",
    donor: ("donor", "donors"),
    left: "left",
    starts: "starts in",
    reached: "Goal reached! Every extra gift takes us further.",
    next: "Next milestone",
    as_of: "Figures as of",
    gauge: "Donation gauge",
    loading: "Loading the campaign's figures…",
    unavailable: "The campaign's figures cannot be shown right now.",
    time_elapsed: "time",
    money_raised: "money",
    donate: "Donate",
    goal: "goal",
};

static FR: Labels = Labels {
    raised: "collectés",
    of: "sur",
    to_raise: "restent à collecter",
    beyond: "au-delà de l’objectif",
    donor: ("donateur", "donateurs"),
    left: "restants",
    starts: "commence dans",
    reached: "Objectif atteint\u{a0}! Chaque don supplémentaire nous emmène plus loin.",
    next: "Prochaine étape",
    as_of: "Chiffres de",
    gauge: "Jauge des dons",
    loading: "Chargement des chiffres de la campagne…",
    unavailable: "Les chiffres de la campagne ne peuvent pas être affichés pour l’instant.",
    time_elapsed: "temps",
    money_raised: "dons",
    donate: "Faire un don",
    goal: "objectif",
};

static DE: Labels = Labels {
    raised: "gesammelt",
    of: "von",
    to_raise: "fehlen noch",
    beyond: "über dem Ziel",
    donor: ("Spender:in", "Spender:innen"),
    left: "verbleibend",
    starts: "beginnt in",
    reached: "Ziel erreicht! Jede weitere Spende bringt uns weiter.",
    next: "Nächstes Etappenziel",
    as_of: "Stand",
    gauge: "Spendenbarometer",
    loading: "Die Zahlen der Kampagne werden geladen…",
    unavailable: "Die Zahlen der Kampagne können gerade nicht angezeigt werden.",
    time_elapsed: "Zeit",
    money_raised: "Spenden",
    donate: "Jetzt spenden",
    goal: "Ziel",
};

static ES: Labels = Labels {
    raised: "recaudados",
    of: "de",
    to_raise: "por recaudar",
    beyond: "por encima del objetivo",
    donor: ("donante", "donantes"),
    left: "restantes",
    starts: "empieza en",
    reached: "¡Objetivo alcanzado! Cada donación extra nos lleva más lejos.",
    next: "Próximo hito",
    as_of: "Cifras de las",
    gauge: "Medidor de donaciones",
    loading: "Cargando las cifras de la campaña…",
    unavailable: "Las cifras de la campaña no se pueden mostrar ahora.",
    time_elapsed: "tiempo",
    money_raised: "donaciones",
    donate: "Donar",
    goal: "meta",
};

static IT: Labels = Labels {
    raised: "raccolti",
    of: "su",
    to_raise: "ancora da raccogliere",
    beyond: "oltre l’obiettivo",
    donor: ("donatore", "donatori"),
    left: "rimanenti",
    starts: "inizia tra",
    reached: "Obiettivo raggiunto! Ogni dono in più ci porta più lontano.",
    next: "Prossima tappa",
    as_of: "Dati delle",
    gauge: "Indicatore delle donazioni",
    loading: "Caricamento dei dati della campagna…",
    unavailable: "I dati della campagna non possono essere mostrati ora.",
    time_elapsed: "tempo",
    money_raised: "donazioni",
    donate: "Dona ora",
    goal: "obiettivo",
};

static NL: Labels = Labels {
    raised: "opgehaald",
    of: "van",
    to_raise: "nog op te halen",
    beyond: "boven het doel",
    donor: ("donateur", "donateurs"),
    left: "resterend",
    starts: "begint over",
    reached: "Doel bereikt! Elke extra gift brengt ons verder.",
    next: "Volgende mijlpaal",
    as_of: "Stand van",
    gauge: "Donatiemeter",
    loading: "De cijfers van de campagne worden geladen…",
    unavailable: "De cijfers van de campagne kunnen nu niet worden getoond.",
    time_elapsed: "tijd",
    money_raised: "giften",
    donate: "Doneer",
    goal: "doel",
};
