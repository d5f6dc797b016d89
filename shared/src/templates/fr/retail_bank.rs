//! Banque de détail : des particuliers comparent, ouvrent puis prennent en main leurs
//! comptes sur plusieurs canaux.
//!
//! Les clients passent des événements au site web, au chat, à l’application, à
//! l’agence et à leur conseiller. Frictions typiques : des expériences en ligne et en
//! agence qui ne communiquent pas, et des offres trop complexes pour être comparées.

use crate::schema::Channel::{App, Chat, Email, Other, Phone, Store, Web};
use crate::schema::OpportunityStatus::{Done, Idea, InProgress, Planned};
use crate::templates::seed::StageSeed;
use crate::templates::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed, SwitchSeed,
};

/// La carte de la banque de détail, en français.
pub(in crate::templates) const MAP: Blueprint = Blueprint {
    objective: "Rendre le choix et l’ouverture d’un compte simples sur tous les canaux, et \
                regagner les conversions perdues à cause d’une souscription mobile confuse.",
    personas: &[
        PersonaSeed {
            name: "Nadia, jeune active",
            segment: "Cliente adepte du digital qui ouvre ses premiers produits d’épargne et \
                      de placement",
            goals: "Ouvrir un compte depuis son téléphone en quelques minutes, épargner \
                    chaque mois et apprendre les bases de l’investissement.",
            pains: "Des offres difficiles à distinguer ; une application qui la perd à \
                    mi-chemin de la souscription.",
            preferences: "Application mobile et chat, explications courtes, notifications \
                          qu’elle maîtrise.",
            as_is: &[0, -1, -2, 0, 1],
            to_be: &[1, 1, 1, 2, 2],
        },
        PersonaSeed {
            name: "George, primo-accédant",
            segment: "Père de famille en quête d’un crédit immobilier, qui tient à parler à \
                      une personne",
            goals: "Obtenir un crédit immobilier à un taux juste, avec un conseiller qui \
                    connaît son dossier.",
            pains: "Devoir répéter en agence ce qu’il a déjà saisi en ligne ; des conditions \
                    produit indigestes.",
            preferences: "D’abord les simulateurs du site, puis un rendez-vous en agence ou \
                          en visio pour décider, et un suivi par téléphone ensuite.",
            as_is: &[0, 0, -1, -1, 1],
            to_be: &[0, 1, 1, 1, 2],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Découverte",
            cards: &[
                act("Assiste à un forum économique sponsorisé par la banque"),
                act("S’inscrit à un webinaire sur le budget après avoir cliqué sur une bannière"),
                touch(Other, "Forum économique sponsorisé par la banque"),
                touch(Web, "Publicités display ciblées et webinaires pédagogiques"),
                thought("Cette banque pourrait-elle m’aider à épargner davantage que la mienne ?"),
                feel("Curiosité"),
                pain("Les publicités parlent des produits, pas de la situation du client"),
                opp(
                    "Équipe marketing",
                    Done,
                    "Série de webinaires sur le budget et les premiers placements",
                ),
                kpi(
                    "Inscriptions aux webinaires par mois",
                    "inscriptions",
                    [900.0, 1100.0, 1500.0],
                ),
                back("Sponsoring d’événements et ciblage d’audience"),
            ],
        },
        StageSeed {
            name: "Recherche et conseil",
            cards: &[
                act("Explore les produits d’épargne, de crédit et de placement sur le site"),
                act("Essaie les simulateurs, puis réserve un appel vidéo ou un passage en agence"),
                touch(Web, "Pages produit avec simulateurs d’épargne et de crédit"),
                touch(Chat, "Chatbot qui répond aux questions sur les produits"),
                touch(Store, "Visite en agence ou rendez-vous en visio avec un conseiller"),
                thought("Lequel de ces comptes me correspond vraiment ?"),
                feel("Confusion face à tant d’offres similaires"),
                pain("Trop de produits qui se ressemblent ; des conditions difficiles à comparer"),
                opp(
                    "Équipe produit digital",
                    Planned,
                    "Outil de recommandation assisté par l’IA qui réduit la gamme à deux ou trois offres",
                ),
                kpi(
                    "Utilisateurs des simulateurs qui commencent une demande",
                    "%",
                    [9.0, 10.0, 15.0],
                ),
                kpi("Temps d’attente moyen en agence", "min", [18.0, 15.0, 8.0]),
                back("Planning des conseillers piloté par la fréquentation de l’application, du chatbot et des agences"),
            ],
        },
        StageSeed {
            name: "Ouverture de compte",
            cards: &[
                act("Ouvre un compte ou demande un prêt dans l’application ou en agence"),
                act("Envoie ses justificatifs d’identité et signe électroniquement"),
                touch(App, "Souscription mobile avec vérification d’identité et taux personnalisés"),
                touch(Store, "Ouverture de compte en agence avec un conseiller"),
                thought("Pourquoi l’application me renvoie-t-elle à la première étape ?"),
                feel("Stress : le parcours dans l’application est difficile à suivre"),
                pain("Une navigation peu claire dans la souscription mobile fait baisser les conversions d’environ 15 %"),
                pain("Ce qui a été saisi en ligne reste invisible pour le conseiller en agence"),
                opp(
                    "Équipe application mobile",
                    InProgress,
                    "Repenser le parcours de souscription et permettre de reprendre là où l’on s’est arrêté",
                ),
                opp(
                    "Informatique et réseau d’agences",
                    Planned,
                    "Un dossier client unique partagé par les canaux digitaux et les agences",
                ),
                kpi("Souscriptions mobiles menées à terme", "%", [46.0, 52.0, 70.0]),
                back("Contrôles d’identité et antifraude, scoring de crédit, ouverture du compte"),
            ],
        },
        StageSeed {
            name: "Premiers pas",
            cards: &[
                act("Lit l’e-mail de bienvenue et active les alertes dans l’application"),
                act("Effectue un premier versement et active sa carte"),
                touch(Email, "E-mail de bienvenue qui présente les avantages du compte"),
                touch(App, "Notifications dans l’application sur les mouvements du compte"),
                thought("Le taux promis a-t-il bien été appliqué ?"),
                feel("Soulagement dès que l’argent commence à circuler"),
                pain("Les messages de bienvenue reprennent la brochure au lieu d’indiquer les prochaines étapes"),
                opp(
                    "Équipe CRM",
                    Idea,
                    "Séquence d’accueil avec une seule action claire par message",
                ),
                kpi("Comptes alimentés sous 30 jours", "%", [61.0, 65.0, 80.0]),
                back("Fabrication et envoi de la carte ; parcours de bienvenue dans le CRM"),
            ],
        },
        StageSeed {
            name: "Relation dans la durée",
            cards: &[
                act("Suit des leçons de gestion budgétaire dans l’application"),
                act("Fait le point sur ses projets avec un conseiller attitré"),
                touch(Phone, "Appel de suivi régulier d’un conseiller attitré"),
                touch(App, "Bibliothèque d’éducation financière dans l’application"),
                thought("Ma banque sait-elle ce que je prévois ?"),
                feel("Confiance quand le conseiller se souvient du contexte"),
                pain("Un changement de conseiller rompt la relation"),
                opp(
                    "Réseau d’agences",
                    Planned,
                    "Garder un conseiller nommément désigné et partager ses notes entre les canaux",
                ),
                kpi(
                    "Produits détenus par client au bout d’un an",
                    "produits",
                    [1.6, 1.7, 2.2],
                ),
                back("Gestion du portefeuille des conseillers et modèles de recommandation de la prochaine offre"),
            ],
        },
    ],
    switches: &[
        SwitchSeed {
            from: (1, 1),
            to: (1, 2),
            note: "Le chatbot ne sait pas répondre ; il passe la main à un conseiller en agence ou en visio",
        },
        SwitchSeed {
            from: (1, 0),
            to: (2, 0),
            note: "Simule un prêt en ligne, puis ouvre le compte dans l’application",
        },
        SwitchSeed {
            from: (2, 0),
            to: (2, 1),
            note: "La vérification d’identité échoue dans l’application ; la suite se fait en agence",
        },
        SwitchSeed {
            from: (2, 1),
            to: (3, 1),
            note: "Compte ouvert en agence, puis suivi dans l’application",
        },
    ],
};
