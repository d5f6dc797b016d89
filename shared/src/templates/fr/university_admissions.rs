//! Admissions universitaires : les candidats découvrent une université, y postulent
//! puis la rejoignent.
//!
//! Un itinéraire personnalisé : lycéens, candidats internationaux et adultes en
//! reprise d’études suivent chacun leur propre chemin, choisi par une condition ; les
//! cartes propres à un segment se trouvent sur le chemin de ce segment. Friction
//! typique : une candidature complexe et un catalogue de formations immense.

use crate::schema::Channel::{App, Chat, Email, Other, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};
use crate::templates::seed::{
    act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed,
};
use crate::templates::seed::{PathSeed, StageSeed};

/// Chemin des lycéens (indice dans les chemins de [`MAP`]).
const SCHOOL: usize = 0;
/// Chemin des candidats internationaux.
const ABROAD: usize = 1;
/// Chemin des adultes et des candidats à temps partiel.
const ADULT: usize = 2;

/// La carte des admissions universitaires, en français.
pub(in crate::templates) const MAP: Blueprint = Blueprint {
    objective: "Accompagner chaque segment de candidats dans une candidature complexe sans \
                les perdre en route, et augmenter la part des admis qui s’inscrivent.",
    personas: &[
        PersonaSeed {
            name: "Sam, lycéen",
            segment: "Élève de terminale qui candidate depuis son pays",
            goals: "Choisir une formation qui correspond à ses centres d’intérêt et obtenir \
                    une place avant la date limite.",
            pains: "Trop de formations à comparer ; un dossier de candidature long aux \
                    étapes floues.",
            preferences: "Réseaux sociaux, vidéos courtes, échanges avec des étudiants \
                          actuels, rappels par e-mail.",
            as_is: &[1, 0, -2, -1, 1],
            to_be: &[1, 1, 0, 1, 2],
        },
        PersonaSeed {
            name: "Mei, candidate internationale",
            segment: "Étudiante qui candidate depuis l’étranger et a besoin d’un visa et \
                      d’une reconnaissance de son diplôme",
            goals: "Recevoir une proposition d’admission assez tôt pour organiser son visa, \
                    son logement et son financement.",
            pains: "Les décalages horaires, les traductions certifiées et le silence \
                    pendant l’examen de son dossier.",
            preferences: "Journées portes ouvertes et visites virtuelles, nouvelles \
                          détaillées par e-mail, chat en direct à des horaires adaptés à son \
                          fuseau.",
            as_is: &[0, 0, -2, -2, 0],
            to_be: &[1, 1, 0, 1, 1],
        },
        PersonaSeed {
            name: "Daniel, adulte en reprise d’études",
            segment: "Actif qui reprend des études à temps partiel",
            goals: "Trouver une formation en cours du soir ou à temps partiel et faire \
                    reconnaître son expérience professionnelle.",
            pains: "Des admissions pensées pour les lycéens ; des frais et des aides \
                    financières peu clairs.",
            preferences: "Conseils par téléphone ou en visio en dehors des heures de bureau, \
                          un détail clair des coûts, un interlocuteur unique.",
            as_is: &[0, -1, -1, -1, 0],
            to_be: &[1, 1, 1, 1, 1],
        },
    ],
    paths: &[
        PathSeed {
            name: "Entrée directe après le lycée",
            condition: "Le candidat est en terminale dans le pays",
            persona: 0,
        },
        PathSeed {
            name: "Admission internationale",
            condition: "Le candidat a un diplôme étranger ou a besoin d’un visa étudiant",
            persona: 1,
        },
        PathSeed {
            name: "Entrée des adultes et à temps partiel",
            condition: "Le candidat a 25 ans ou plus, ou postule à une formation à temps \
                        partiel ou en cours du soir",
            persona: 2,
        },
    ],
    stages: &[
        StageSeed {
            name: "Découverte",
            cards: &[
                act("Entend parler de l’université lors d’un salon ou par d’anciens élèves"),
                act("Trouve les pages des formations via un moteur de recherche"),
                touch(Web, "Pages des formations trouvées via un moteur de recherche"),
                touch(Social, "Publicités ciblées sur les réseaux sociaux").on(SCHOOL),
                touch(Partner, "Salons de l’enseignement à l’étranger et agents partenaires").on(ABROAD),
                touch(Other, "Bouche-à-oreille d’anciens élèves et d’employeurs").on(ADULT),
                thought("Cet établissement est-il fait pour quelqu’un comme moi ?"),
                feel("Espoir"),
                pain("Les pages des formations ne s’adressent qu’aux lycéens").on(ADULT),
                opp(
                    "Marketing des admissions",
                    Planned,
                    "Pages d’atterrissage par segment de candidats, avec des témoignages d’étudiants qui leur ressemblent",
                ),
                kpi(
                    "Demandes d’information par rentrée",
                    "demandes",
                    [4200.0, 4600.0, 6000.0],
                ),
                back("Calendrier des événements de recrutement et programme d’ambassadeurs anciens élèves"),
            ],
        },
        StageSeed {
            name: "Exploration des formations",
            cards: &[
                act("Télécharge des brochures et compare les formations"),
                act("Assiste à un webinaire ou à une journée portes ouvertes virtuelle"),
                touch(Web, "Journée portes ouvertes virtuelle et brochures à télécharger"),
                touch(Social, "Questions aux étudiants actuels sur les réseaux sociaux").on(SCHOOL),
                touch(Chat, "Sessions de questions en direct calées sur les fuseaux horaires").on(ABROAD),
                touch(Phone, "Appel de conseil en soirée sur les formations à temps partiel").on(ADULT),
                thought("Tant de cursus : lequel mène là où je veux aller ?"),
                feel("Vertige face à l’abondance du choix"),
                pain("Le catalogue des cours est immense et difficile à filtrer"),
                opp(
                    "Équipe digitale",
                    InProgress,
                    "Visites virtuelles du campus et moteur de recherche de formations par centre d’intérêt",
                ),
                kpi(
                    "Participants aux portes ouvertes qui commencent une candidature",
                    "%",
                    [22.0, 25.0, 35.0],
                ),
                back("Les enseignants animent les webinaires ; l’équipe contenu met à jour les pages des formations"),
            ],
        },
        StageSeed {
            name: "Candidature",
            cards: &[
                act("Remplit le dossier de candidature en ligne et dépose ses documents"),
                act("Règle les frais de candidature"),
                touch(Web, "Portail de candidature en ligne"),
                touch(
                    Email,
                    "Informations en temps utile sur l’avancement du dossier et les aides financières",
                ),
                touch(Web, "Dépôt des traductions certifiées et des résultats aux tests de langue").on(ABROAD),
                touch(Web, "Formulaire de reconnaissance de l’expérience professionnelle").on(ADULT),
                thought("Ai-je déposé les bons documents ?"),
                feel("Anxiété et perte de repères entre les étapes"),
                pain("Un formulaire long aux exigences floues ; beaucoup de candidatures restent en plan"),
                pain("Les diplômes étrangers attendent des semaines avant d’être reconnus").on(ABROAD),
                opp(
                    "Service des admissions",
                    InProgress,
                    "Chatbot qui aide en temps réel à chaque étape du formulaire",
                ),
                opp(
                    "Service des admissions",
                    Planned,
                    "E-mails de relance personnalisés pour les candidatures à moitié remplies",
                ),
                kpi(
                    "Candidatures commencées puis soumises",
                    "%",
                    [58.0, 63.0, 80.0],
                ),
                back("Vérification des pièces, encaissement des frais et reconnaissance des diplômes"),
            ],
        },
        StageSeed {
            name: "Décision d’admission",
            cards: &[
                act("Attend la décision et consulte le portail"),
                act("Accepte la proposition et demande une aide financière"),
                touch(Email, "Lettre d’admission avec les options de financement"),
                touch(Email, "Attestation pour le visa et conseils pour le logement").on(ABROAD),
                touch(Phone, "Appel d’un conseiller sur les frais et les aides").on(ADULT),
                thought("Quand aurai-je une réponse, et en aurai-je les moyens ?"),
                feel("Nervosité pendant l’attente, joie à la réception de la proposition"),
                pain("Des semaines de silence entre le dépôt et la décision"),
                opp(
                    "Service des admissions",
                    Idea,
                    "Suivi en ligne qui montre où en est chaque dossier",
                ),
                kpi(
                    "Délai médian entre dépôt et décision",
                    "jours",
                    [42.0, 35.0, 21.0],
                ),
                kpi("Admis qui s’inscrivent", "%", [48.0, 50.0, 60.0]),
                back("Examen par la commission d’admission ; attribution des bourses et des aides"),
            ],
        },
        StageSeed {
            name: "Intégration et premier semestre",
            cards: &[
                act("Suit le programme d’accueil interactif"),
                act("S’inscrit aux cours sur le portail étudiant"),
                touch(App, "Portail étudiant pour l’inscription aux cours et les ressources"),
                touch(Other, "Semaine d’accueil sur le campus avec des étudiants parrains"),
                touch(Web, "Accueil en ligne pour les étudiants arrivés en retard").on(ABROAD),
                touch(Other, "Accueil en soirée pour les étudiants à temps partiel").on(ADULT),
                thought("Où trouver de l’aide quand je bloque ?"),
                feel("Enthousiasme, avec un peu d’appréhension la première semaine"),
                pain("Les inscriptions aux cours ouvrent avant que les conseillers soient joignables"),
                opp(
                    "Services aux étudiants",
                    Planned,
                    "Attribuer un conseiller et un parrain étudiant avant l’ouverture des inscriptions",
                ),
                kpi("Maintien à l’issue du premier semestre", "%", [88.0, 89.0, 94.0]),
                back("Emplois du temps, comptes informatiques et accompagnement pédagogique"),
            ],
        },
    ],
    switches: &[],
};
