//! Place de marché B2B : le service achats d’une grande entreprise cherche ses
//! fournisseurs et achète en volume.
//!
//! Frictions typiques : les acheteurs veulent une place de marché branchée sur leurs
//! propres systèmes d’achat et une vision claire de l’état de chaque expédition.

use crate::schema::Channel::{Email, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};
use crate::templates::seed::StageSeed;
use crate::templates::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed,
};

/// La carte de la place de marché B2B, en français.
pub(in crate::templates) const MAP: Blueprint = Blueprint {
    objective: "Gagner des volumes récurrents auprès des acheteurs en entreprise en \
                connectant la place de marché à leurs systèmes d’achat et en rendant chaque \
                expédition visible.",
    personas: &[
        PersonaSeed {
            name: "Priya, responsable achats",
            segment: "Service achats d’un distributeur international qui achète en volume",
            goals: "Trouver des fournisseurs fiables à prix de gros et passer de grosses \
                    commandes sans les saisir deux fois.",
            pains: "Des places de marché qui ne dialoguent pas avec le système d’achat de \
                    l’entreprise ; des expéditions dont personne ne connaît l’état.",
            preferences: "Catalogues et devis en libre-service, paiement sur facture à \
                          terme, données de commande transmises directement dans la suite \
                          achats.",
            as_is: &[1, 0, 1, -2, 0],
            to_be: &[1, 1, 2, 1, 2],
        },
        PersonaSeed {
            name: "Leah, contrôleuse financière",
            segment: "Équipe finance qui approuve les dépenses et rapproche les factures \
                      fournisseurs",
            goals: "Des factures conformes aux bons de commande et des conditions de \
                    paiement prévisibles.",
            pains: "Des factures qui diffèrent du bon de commande ; des livraisons \
                    fractionnées qui ralentissent le rapprochement.",
            preferences: "Facturation mensuelle consolidée, factures électroniques, piste \
                          d’audit claire.",
            as_is: &[0, -1, -1, -1, 0],
            to_be: &[0, 0, 1, 1, 1],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Découverte",
            cards: &[
                act("Voit une campagne LinkedIn sur les remises quantitatives"),
                act("Parcourt le catalogue pour vérifier l’assortiment et les paliers de prix"),
                touch(
                    Social,
                    "Campagne LinkedIn qui met en avant des remises par paliers de volume",
                ),
                touch(Web, "Page d’atterrissage de catégorie avec les paliers de prix"),
                thought("Une seule place de marché pourrait-elle remplacer plusieurs fournisseurs directs ?"),
                feel("Curiosité éveillée par les remises"),
                pain("Les paliers de prix restent masqués tant qu’aucun compte n’est créé"),
                opp(
                    "Marketing de croissance",
                    Planned,
                    "Afficher des exemples de prix par volume sans connexion",
                ),
                kpi(
                    "Comptes professionnels ouverts par mois",
                    "comptes",
                    [300.0, 340.0, 450.0],
                ),
                back("Ciblage des campagnes sur les fonctions achats des grands distributeurs"),
            ],
        },
        StageSeed {
            name: "Comparaison des fournisseurs et devis",
            cards: &[
                act("Compare les fournisseurs, les délais de livraison et les caractéristiques des produits"),
                act("Demande un devis personnalisé à l’équipe commerciale"),
                touch(Web, "Comparateur de fournisseurs et fiches techniques des produits"),
                touch(Email, "Devis personnalisé envoyé par un commercial de la place de marché"),
                thought("Ces fournisseurs sont-ils vérifiés, et tiendront-ils leurs délais ?"),
                feel("Prudence : les devis prennent des jours"),
                pain("Les devis reviennent lentement et dans des formats disparates"),
                opp(
                    "Administration des ventes",
                    InProgress,
                    "Générateur de devis instantané pour les commandes en volume standard",
                ),
                kpi("Délai médian de réponse aux devis", "heures", [72.0, 48.0, 4.0]),
                back("Le service commercial vérifie les stocks des fournisseurs et négocie les marges"),
            ],
        },
        StageSeed {
            name: "Commande en volume",
            cards: &[
                act("Passe une grosse commande depuis le système d’achat de l’entreprise"),
                act("Choisit le paiement sur facture à 60 jours"),
                touch(
                    Partner,
                    "Catalogue punch-out intégré à la suite achats de l’acheteur",
                ),
                touch(
                    Web,
                    "Validation de commande avec numéro de bon de commande et options de facturation",
                ),
                thought("Cette commande correspondra-t-elle au bon de commande validé par la finance ?"),
                feel("Soulagement : la commande suit notre façon d’acheter habituelle"),
                pain("Les commandes passées sur le site doivent être ressaisies dans le système d’achat"),
                opp(
                    "Ingénierie plateforme",
                    InProgress,
                    "API achats et connecteurs punch-out pour les principales suites d’achat",
                ),
                kpi(
                    "Commandes passées via les intégrations",
                    "%",
                    [10.0, 18.0, 50.0],
                ),
                back("Contrôle de crédit, répartition de la commande entre fournisseurs, facture électronique"),
            ],
        },
        StageSeed {
            name: "Suivi de livraison",
            cards: &[
                act("Vérifie où en est chaque expédition"),
                act("Relance les fournisseurs par e-mail quand une livraison prend du retard"),
                touch(Email, "Avis d’expédition envoyé par chaque fournisseur"),
                touch(
                    Partner,
                    "État de livraison en direct dans le système d’achat de l’acheteur",
                ),
                thought("Quelles palettes arrivent cette semaine, et lesquelles sont en retard ?"),
                feel("Inquiétude quand les livraisons fractionnées ne donnent plus de nouvelles"),
                pain("Aucune vue d’ensemble d’une expédition répartie entre plusieurs fournisseurs"),
                opp(
                    "Équipe produit logistique",
                    Planned,
                    "Flux de suivi en temps réel pour les grands comptes, poussé dans leurs systèmes",
                ),
                kpi("Livraisons suivies en direct", "%", [30.0, 45.0, 95.0]),
                kpi(
                    "Demandes sur l’état des commandes pour 100 commandes",
                    "demandes",
                    [14.0, 11.0, 4.0],
                ),
                back("Intégrations avec les transporteurs et suivi des niveaux de service des fournisseurs"),
            ],
        },
        StageSeed {
            name: "Avis et réapprovisionnement",
            cards: &[
                act("Répond à l’enquête de satisfaction"),
                act("Repasse commande à partir d’une liste enregistrée"),
                touch(Email, "Enquête de satisfaction après la livraison"),
                touch(Phone, "Point trimestriel avec un responsable grands comptes"),
                thought("Est-ce plus rapide et moins cher que notre ancienne liste de fournisseurs ?"),
                feel("Satisfaction quand une nouvelle commande ne prend que quelques minutes"),
                pain("Les réponses à l’enquête ne changent jamais rien de visible"),
                opp(
                    "Gestion des grands comptes",
                    Idea,
                    "Boucler la boucle : dire aux acheteurs ce qui a changé après chaque vague d’enquête",
                ),
                kpi(
                    "Comptes qui repassent commande sous 90 jours",
                    "%",
                    [38.0, 44.0, 60.0],
                ),
                back("Analyse des enquêtes ; revues de compte avec fiches d’évaluation des fournisseurs"),
            ],
        },
    ],
    switches: &[],
};
