//! Commerce omnicanal B2C : les clients passent de la publicité grand public au site
//! web, à une application de réalité augmentée, aux magasins et à l’e-mail.
//!
//! Le canal change d’une étape à l’autre (le premier point de contact de chaque étape
//! est sur un canal différent), et c’est ce que montre une carte omnicanale. Friction
//! typique : des prix, des stocks et une fidélité qui ne concordent pas entre le web et
//! le magasin.

use crate::schema::Channel::{App, Chat, Email, Other, Social, Store, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};
use crate::templates::seed::StageSeed;
use crate::templates::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed, SwitchSeed,
};

/// La carte du commerce omnicanal, en français.
pub(in crate::templates) const MAP: Blueprint = Blueprint {
    objective: "Faire de la télévision, du site, de l’application et des magasins une seule \
                et même enseigne, et repérer les frictions qui poussent les clients à \
                abandonner leur panier au moment du paiement.",
    personas: &[
        PersonaSeed {
            name: "Emma, cliente fidèle",
            segment: "Membre du programme de fidélité qui achète en ligne et en magasin \
                      plusieurs fois par an",
            goals: "Trouver des pièces adaptées à son intérieur, profiter des prix membres \
                    et passer chaque fois par le canal le plus pratique.",
            pains: "Des prix et des stocks différents entre l’application et le magasin ; \
                    des points qui ne la suivent pas d’un canal à l’autre.",
            preferences: "L’application mobile avant tout, le magasin pour les conseils et \
                          pour toucher le produit, des offres personnalisées par e-mail.",
            as_is: &[1, 1, 0, -1, 0],
            to_be: &[1, 2, 2, 1, 2],
        },
        PersonaSeed {
            name: "Lucas, primo-acheteur",
            segment: "Nouveau client attentif à son budget, touché par les campagnes grand \
                      public",
            goals: "Être sûr de son choix avant de dépenser, et obtenir le meilleur prix.",
            pains: "Ne pas savoir si le produit trouvera sa place chez lui ; des frais de \
                    livraison qui n’apparaissent qu’au paiement.",
            preferences: "Recherches sur le web et avis clients, aperçus en réalité \
                          augmentée, chat en direct pour des réponses rapides.",
            as_is: &[0, 0, 1, -2, -1],
            to_be: &[1, 1, 2, 1, 1],
        },
    ],
    paths: &[],
    stages: &[
        StageSeed {
            name: "Découverte",
            cards: &[
                act("Voit un spot télévisé national et une affiche premium"),
                act("Clique sur une bannière display sur un site d’actualités"),
                touch(Other, "Campagne télévisée nationale et affichage premium"),
                touch(Web, "Publicités display programmatiques ciblant de larges audiences"),
                thought("Joli style, mais est-ce dans mon budget ?"),
                feel("Inspiration"),
                pain("Les publicités grand public paraissent génériques ; les habitués n’y voient rien qui leur soit destiné"),
                opp(
                    "Marketing de marque",
                    Planned,
                    "Exploiter les données de fidélité pour montrer aux membres les nouveautés qui les concernent",
                ),
                kpi("Notoriété assistée de la marque", "%", [32.0, 34.0, 40.0]),
                back("Achat média et segments d’audience dans la plateforme publicitaire"),
            ],
        },
        StageSeed {
            name: "Recherche en ligne",
            cards: &[
                act("Recherche des produits et lit les avis"),
                act("Ajoute ses coups de cœur à sa liste d’envies"),
                touch(Web, "Fiches produit avec avis et stock par magasin"),
                touch(Social, "Photos de clients et publications de créateurs de contenu"),
                thought("Est-il en stock dans le magasin le plus proche ?"),
                feel("Engagement : compare les options avec attention"),
                pain("Le stock affiché en ligne pour chaque magasin est souvent faux"),
                opp(
                    "Équipe e-commerce",
                    InProgress,
                    "Stock des magasins en temps réel sur chaque fiche produit",
                ),
                kpi(
                    "Visites de fiche produit qui finissent par un ajout à la liste d’envies",
                    "%",
                    [6.0, 7.0, 10.0],
                ),
                back("Gestion de l’information produit et flux de stock nocturne"),
            ],
        },
        StageSeed {
            name: "Essai à domicile et en magasin",
            cards: &[
                act("Visualise le canapé dans son salon grâce à la réalité augmentée de l’application"),
                act("Prend rendez-vous avec un conseiller en magasin"),
                touch(App, "Aperçu en réalité augmentée dans l’application mobile"),
                touch(Store, "Rendez-vous en magasin avec un conseiller"),
                thought("Le conseiller ne voit pas ce que j’ai enregistré dans l’application"),
                feel("Réassurance grâce à l’aperçu, agacement de devoir tout répéter en magasin"),
                pain("Les conseillers n’ont aucune visibilité sur la liste d’envies en ligne du client"),
                opp(
                    "Opérations magasins",
                    Planned,
                    "Donner aux conseillers une vue sur tablette de la liste d’envies et des aperçus du client",
                ),
                kpi(
                    "Rendez-vous qui se concluent par un achat",
                    "%",
                    [28.0, 31.0, 45.0],
                ),
                back("Prise de rendez-vous et planification du personnel en magasin"),
            ],
        },
        StageSeed {
            name: "Achat",
            cards: &[
                act("Paie en caisse ou dans l’application mobile"),
                act("Applique ses remises de fidélité personnalisées"),
                touch(Store, "Passage en caisse avec la carte de fidélité"),
                touch(App, "Paiement dans l’application avec moyen de paiement enregistré et prix membres"),
                thought("Pourquoi le prix dans l’application diffère-t-il de celui en rayon ?"),
                feel("Irritation face aux prix discordants et aux frais de livraison surprises"),
                pain("Prix, promotions et points de fidélité ne sont pas synchronisés d’un canal à l’autre"),
                pain("Des paniers sont abandonnés quand les frais de livraison apparaissent à la dernière étape"),
                opp(
                    "Équipe plateforme de données",
                    InProgress,
                    "Une plateforme de données client unique qui synchronise stocks, prix et fidélité sur tous les canaux",
                ),
                kpi("Abandon au paiement", "%", [68.0, 64.0, 50.0]),
                back("Moteurs de prix en caisse et en ligne ; registre des points de fidélité"),
            ],
        },
        StageSeed {
            name: "Après-achat et fidélité",
            cards: &[
                act("Lit l’e-mail de remerciement et suit la livraison"),
                act("Pose une question par chat en direct"),
                touch(Email, "E-mail de remerciement personnalisé avec conseils d’entretien"),
                touch(Chat, "Chat en direct et assistant IA pour les questions après-vente"),
                touch(App, "Accès en avant-première aux nouvelles collections pour les membres"),
                thought("Se souviendront-ils de moi la prochaine fois ?"),
                feel("Reconnaissance quand les avantages arrivent, déception face aux réponses lentes"),
                pain("Les agents du chat ne voient pas les achats faits en magasin"),
                opp(
                    "Service client",
                    Idea,
                    "Transmettre chaque chat avec l’historique d’achat complet, tous canaux confondus",
                ),
                kpi("Nouvel achat dans les six mois", "%", [22.0, 24.0, 35.0]),
                kpi("Score NPS", "points NPS", [18.0, 21.0, 35.0]),
                back("Centre de service client, entraînement de l’assistant, gestion du programme de fidélité"),
            ],
        },
    ],
    switches: &[
        SwitchSeed {
            from: (1, 0),
            to: (2, 1),
            note: "Vérifie en ligne le stock du magasin, puis prend rendez-vous pour essayer",
        },
        SwitchSeed {
            from: (2, 0),
            to: (3, 0),
            note: "Visualise chez soi dans l’application, puis vient acheter en magasin",
        },
        SwitchSeed {
            from: (2, 1),
            to: (3, 1),
            note: "Essaie en magasin, puis commande dans l’application aux prix membres",
        },
        SwitchSeed {
            from: (3, 0),
            to: (4, 1),
            note: "Achat en magasin ; les questions après-vente se poursuivent par chat",
        },
    ],
};
