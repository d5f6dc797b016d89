//! SaaS B2B : le comité d’achat d’un grand compte découvre, achète, adopte puis
//! renouvelle une plateforme.
//!
//! Frictions typiques : un achat long qui passe par de nombreux valideurs, une
//! exigence de preuve du retour sur investissement et un démarrage lent après la
//! signature.

use crate::schema::Channel::{Email, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Done, Idea, InProgress, Planned};
use crate::templates::seed::StageSeed;
use crate::templates::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed,
};

/// La carte SaaS B2B, en français.
pub(in crate::templates) const MAP: Blueprint = Blueprint {
    objective: "Raccourcir le cycle d’achat des grands comptes et réduire l’attrition des \
                premiers mois en prouvant le retour sur investissement à chaque étape, du \
                premier rapport d’analyste au renouvellement.",
    personas: &[
        PersonaSeed {
            name: "Dana, directrice marketing",
            segment: "Responsable marketing d’une entreprise du Fortune 500, la première à \
                      repérer la plateforme",
            goals: "Adopter une plateforme compatible avec les outils en place et montrer à \
                    la direction un retour mesurable en deux trimestres.",
            pains: "Des cycles d’achat longs, de nombreuses parties prenantes à convaincre, \
                    des fournisseurs incapables de prouver leur retour sur investissement.",
            preferences: "Études d’analystes et publications de pairs sur LinkedIn ; \
                          synthèses courtes étayées par des données ; démonstrations en \
                          direct plutôt que diaporamas.",
            as_is: &[1, 1, -1, -2, 0],
            to_be: &[1, 2, 1, 1, 2],
        },
        PersonaSeed {
            name: "Raj, DSI",
            segment: "Décisionnaire IT qui valide la sécurité, l’intégration et le budget",
            goals: "Choisir un fournisseur qui s’intègre proprement, passe la revue de \
                    sécurité et réduit le coût total de possession.",
            pains: "Le risque d’intégration, la dépendance à un fournisseur et des \
                    négociations avec les achats qui s’étirent sur des mois.",
            preferences: "Livres blancs techniques, architectures de référence, un \
                          interlocuteur attitré et des engagements de support 24 h/24, \
                          7 j/7.",
            as_is: &[0, 0, -2, -1, 1],
            to_be: &[0, 1, 1, 1, 2],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Découverte",
            cards: &[
                act("Lit un rapport d’analyste qui classe la plateforme dans sa catégorie"),
                act("Remarque une publication LinkedIn destinée aux décisionnaires IT"),
                touch(Social, "Publication LinkedIn sponsorisée ciblant les responsables IT"),
                touch(
                    Partner,
                    "Rapport d’analyste (Gartner, par exemple) qui cite la plateforme",
                ),
                thought("Ce fournisseur est-il assez solide pour une entreprise de notre taille ?"),
                feel("Curiosité, teintée de méfiance envers un énième outil"),
                pain("Peu d’éléments prouvant que la plateforme s’intègre au système d’information d’un grand groupe"),
                opp(
                    "Marketing produit",
                    Done,
                    "Publier des études de cas grands comptes en complément de la couverture des analystes",
                ),
                kpi(
                    "Prospects grands comptes qualifiés par mois",
                    "prospects",
                    [40.0, 46.0, 60.0],
                ),
                back("Briefings auprès des analystes ; ciblage d’audience sur LinkedIn"),
            ],
        },
        StageSeed {
            name: "Évaluation",
            cards: &[
                act("L’équipe télécharge le livre blanc technique"),
                act("Assiste à un webinaire en direct sur l’intégration de la plateforme à ses outils"),
                touch(Web, "Page de téléchargement du livre blanc, derrière un formulaire"),
                touch(
                    Email,
                    "Invitation au webinaire, puis envoi de l’enregistrement et des supports",
                ),
                thought("La plateforme se connectera-t-elle à notre annuaire d’identités et à notre entrepôt de données ?"),
                feel("Intérêt : le scénario d’intégration tient la route"),
                pain("Les détails d’intégration sont noyés dans de longs documents"),
                opp(
                    "Avant-vente",
                    InProgress,
                    "Calculateur de ROI interactif et liste de contrôle d’intégration sur le site",
                ),
                kpi(
                    "Participants au webinaire qui demandent une démo",
                    "%",
                    [8.0, 11.0, 18.0],
                ),
                back("L’outil de marketing automation note l’engagement et transmet les comptes aux commerciaux"),
            ],
        },
        StageSeed {
            name: "Décision d’achat",
            cards: &[
                act("Le DSI programme une démonstration sur mesure"),
                act("Compare plusieurs fournisseurs et négocie le prix avec le service achats"),
                touch(Phone, "Démonstration en direct avec un responsable de compte"),
                touch(
                    Email,
                    "Proposition commerciale, questionnaire de sécurité et annotations du contrat",
                ),
                thought("Pouvons-nous justifier ce prix face aux autres fournisseurs présélectionnés ?"),
                feel("Tension : de nombreux valideurs et des allers-retours juridiques sans fin"),
                pain("L’achat s’éternise des mois entre les achats, le juridique et la sécurité"),
                pain("Le retour sur investissement est affirmé, jamais démontré"),
                opp(
                    "Ventes",
                    Planned,
                    "Synthèse sur mesure pour la direction, avec un modèle de ROI propre à chaque compte",
                ),
                kpi("Durée du cycle de vente", "jours", [120.0, 105.0, 75.0]),
                back("La cellule de validation des offres approuve les remises ; l’équipe sécurité répond aux questionnaires"),
            ],
        },
        StageSeed {
            name: "Prise en main et support",
            cards: &[
                act("Les administrateurs configurent l’authentification unique et invitent les premières équipes"),
                act("Ouvre des tickets quand les imports de données échouent"),
                touch(Web, "Portail d’onboarding avec guides de configuration"),
                touch(
                    Phone,
                    "Responsable d’onboarding dédié et support technique 24 h/24, 7 j/7",
                ),
                thought("Pourquoi la mise en place est-elle plus lente que ne le laissait croire la démo ?"),
                feel("Frustration pendant la configuration, soulagement quand la première équipe démarre"),
                pain("Les premières semaines paraissent lentes : les utilisateurs décrochent avant d’avoir vu la moindre valeur"),
                opp(
                    "Succès client",
                    InProgress,
                    "Plan d’onboarding accompagné, avec un premier jalon de valeur à J+30",
                ),
                kpi("Délai d’obtention de la première valeur", "jours", [45.0, 38.0, 21.0]),
                kpi("Licences actives chaque semaine au bout de 60 jours", "%", [35.0, 42.0, 65.0]),
                back("Équipe de déploiement, roulement du support et revues d’activité trimestrielles"),
            ],
        },
        StageSeed {
            name: "Renouvellement et extension",
            cards: &[
                act("Examine les chiffres d’usage lors de la revue d’activité trimestrielle"),
                act("Décide du renouvellement et d’une licence pour toute l’entreprise"),
                touch(Email, "Rapport d’usage et de ROI envoyé avant la date de renouvellement"),
                touch(Phone, "Rendez-vous avec le gestionnaire de compte sur le renouvellement et la montée en gamme"),
                thought("La plateforme est-elle déjà rentabilisée ?"),
                feel("Confiance quand les chiffres sont clairs"),
                pain("Les rapports de valeur arrivent trop tard pour peser sur le budget de l’année suivante"),
                opp(
                    "Gestion des comptes",
                    Idea,
                    "Partager chaque trimestre un tableau de bord du ROI avec les sponsors, pas seulement au renouvellement",
                ),
                kpi("Rétention nette du chiffre d’affaires", "%", [104.0, 108.0, 120.0]),
                back("Les opérations du succès client consolident les données d’usage ; la finance prépare les devis"),
            ],
        },
    ],
    switches: &[],
};
