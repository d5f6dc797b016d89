//! Ready-made journey maps for common sectors, written into a fresh map document.
//!
//! A template is a starting point a team edits, not a finished map: each sector one
//! states an objective, one or more personas, five ordered stages and, in every stage,
//! customer actions, touchpoints on their channels, thoughts, feelings, pain points,
//! opportunities (owner and status), KPIs (baseline, current, target) and backstage
//! processes, plus an as-is and a to-be emotion curve per persona. The content is
//! static data in one module per sector; [`apply`] writes it through the typed
//! [`MapTxn`] API, so the server and the web app seed maps the same way. Each sector
//! exists in English and in French (`fr/`), the same map in structure (personas,
//! scores, stages, cards, channels, statuses, figures) with its text in that language;
//! the creator's language picks one.

mod b2b_marketplace;
mod b2b_saas;
mod b2c_omnichannel_retail;
mod fr;
mod retail_bank;
mod seed;
mod university_admissions;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::schema::ItineraryKind;
use crate::schema::{IdSource, MapTxn, SchemaError};
use crate::Language;
use seed::Blueprint;

/// A map to start from: empty, or one of the sector examples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Default lanes only: no stages, personas or cards.
    #[default]
    Blank,
    /// A software vendor selling a platform to large companies.
    B2bSaas,
    /// A B2B e-commerce marketplace serving corporate procurement teams.
    B2bMarketplace,
    /// A consumer retailer whose customers move between web, app and stores.
    B2cOmnichannelRetail,
    /// A retail bank serving individuals online and in branches.
    RetailBank,
    /// A university admitting students, with one path per applicant segment.
    UniversityAdmissions,
}

impl Template {
    /// Every template, in the order a picker shows them.
    pub const ALL: [Template; 6] = [
        Template::Blank,
        Template::B2bSaas,
        Template::B2bMarketplace,
        Template::B2cOmnichannelRetail,
        Template::RetailBank,
        Template::UniversityAdmissions,
    ];

    /// The name used in JSON and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Blank => "blank",
            Template::B2bSaas => "b2b_saas",
            Template::B2bMarketplace => "b2b_marketplace",
            Template::B2cOmnichannelRetail => "b2c_omnichannel_retail",
            Template::RetailBank => "retail_bank",
            Template::UniversityAdmissions => "university_admissions",
        }
    }

    /// The template named `s` (one of [`Template::as_str`]'s strings).
    pub fn parse(s: &str) -> Option<Template> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The title a new map gets when its creator gives none, in `language`.
    pub fn title_in(self, language: Language) -> &'static str {
        match language {
            Language::En => self.title(),
            Language::Fr => match self {
                Template::Blank => "Parcours client sans titre",
                Template::B2bSaas => "SaaS B2B : du premier rapport au renouvellement",
                Template::B2bMarketplace => {
                    "Place de marché B2B : de la recherche fournisseur à la commande suivante"
                }
                Template::B2cOmnichannelRetail => "Commerce omnicanal : site, appli et magasin",
                Template::RetailBank => "Banque de détail : choisir et ouvrir un compte",
                Template::UniversityAdmissions => {
                    "Admissions à l’université : de la découverte au premier semestre"
                }
            },
        }
    }

    /// One sentence saying what the template holds, in `language`.
    pub fn description_in(self, language: Language) -> &'static str {
        match language {
            Language::En => self.description(),
            Language::Fr => match self {
                Template::Blank => {
                    "Une carte vide avec les couloirs par défaut et pas encore d’étape."
                }
                Template::B2bSaas => {
                    "Le comité d’achat d’une grande entreprise évalue, achète, adopte puis \
                     renouvelle une plateforme logicielle."
                }
                Template::B2bMarketplace => {
                    "Le service achats d’une entreprise cherche des fournisseurs, commande en \
                     gros et suit ses livraisons sur une place de marché de gros."
                }
                Template::B2cOmnichannelRetail => {
                    "Des clients passent des publicités au site, à une appli de réalité \
                     augmentée, aux magasins et aux e-mails, du premier regard à la fidélité."
                }
                Template::RetailBank => {
                    "Des particuliers comparent, ouvrent puis prennent en main un compte \
                     bancaire entre site, appli, messagerie et agence."
                }
                Template::UniversityAdmissions => {
                    "De futurs étudiants découvrent une université, y candidatent et la \
                     rejoignent, avec un chemin par profil : bacheliers, étudiants \
                     internationaux, reprises d’études."
                }
            },
        }
    }

    /// The title a new map gets when its creator gives none (English).
    pub fn title(self) -> &'static str {
        match self {
            Template::Blank => "Untitled journey map",
            Template::B2bSaas => "B2B SaaS: from first report to renewal",
            Template::B2bMarketplace => "B2B marketplace: from sourcing to reorder",
            Template::B2cOmnichannelRetail => "Omnichannel retail: web, app and store",
            Template::RetailBank => "Retail bank: choosing and opening an account",
            Template::UniversityAdmissions => "University admissions: from discovery to first term",
        }
    }

    /// One sentence saying what the template holds (English).
    pub fn description(self) -> &'static str {
        match self {
            Template::Blank => "An empty map with the default lanes and no stages yet.",
            Template::B2bSaas => {
                "An enterprise buying committee evaluates, buys, adopts and renews a \
                 software platform."
            }
            Template::B2bMarketplace => {
                "A corporate procurement team sources, orders in bulk and tracks \
                 deliveries on a wholesale marketplace."
            }
            Template::B2cOmnichannelRetail => {
                "Shoppers hop between ads, the website, an augmented-reality app, stores \
                 and email from first glimpse to loyalty."
            }
            Template::RetailBank => {
                "Individuals compare, open and settle into a bank account across web, \
                 app, chat and branch."
            }
            Template::UniversityAdmissions => {
                "Prospective students discover, apply to and join a university, with \
                 separate paths for school leavers, international and adult applicants."
            }
        }
    }

    /// The itinerary kind the template's map is drawn as.
    pub fn itinerary(self) -> ItineraryKind {
        match self {
            Template::Blank | Template::B2bSaas | Template::B2bMarketplace => ItineraryKind::Linear,
            Template::B2cOmnichannelRetail | Template::RetailBank => ItineraryKind::Omnichannel,
            Template::UniversityAdmissions => ItineraryKind::Personalized,
        }
    }

    /// The sector content in `language`, `None` for the blank template.
    fn blueprint(self, language: Language) -> Option<&'static Blueprint> {
        match (self, language) {
            (Template::Blank, _) => None,
            (Template::B2bSaas, Language::En) => Some(&b2b_saas::MAP),
            (Template::B2bMarketplace, Language::En) => Some(&b2b_marketplace::MAP),
            (Template::B2cOmnichannelRetail, Language::En) => Some(&b2c_omnichannel_retail::MAP),
            (Template::RetailBank, Language::En) => Some(&retail_bank::MAP),
            (Template::UniversityAdmissions, Language::En) => Some(&university_admissions::MAP),
            (Template::B2bSaas, Language::Fr) => Some(&fr::b2b_saas::MAP),
            (Template::B2bMarketplace, Language::Fr) => Some(&fr::b2b_marketplace::MAP),
            (Template::B2cOmnichannelRetail, Language::Fr) => {
                Some(&fr::b2c_omnichannel_retail::MAP)
            }
            (Template::RetailBank, Language::Fr) => Some(&fr::retail_bank::MAP),
            (Template::UniversityAdmissions, Language::Fr) => Some(&fr::university_admissions::MAP),
        }
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Sets up a fresh map from `template` in the open transaction: runs
/// [`MapTxn::init_in`] with `title` (or [`Template::title_in`] when `title` is blank)
/// and the template's itinerary, then writes its objective, personas, paths, stages,
/// cards and emotion curves, all in `language`. Every new id comes from `ids`, in a
/// fixed order, so the same ids give the same map.
///
/// Meant for a fresh document: on one that already has content, the template's
/// entities are added after the existing ones. On an error, edits made before it
/// stay in the transaction.
pub fn apply(
    template: Template,
    txn: &mut MapTxn<'_, '_>,
    title: &str,
    language: Language,
    ids: &mut impl IdSource,
) -> Result<(), SchemaError> {
    let title = if title.trim().is_empty() {
        template.title_in(language)
    } else {
        title
    };
    txn.init_in(title, template.itinerary(), language, ids);
    match template.blueprint(language) {
        Some(blueprint) => seed::write(blueprint, txn, ids, language),
        None => Ok(()),
    }
}

/// Fills an existing map that is still empty with `template`'s content in `language`,
/// keeping its title: sets the template's itinerary and writes its objective,
/// personas, paths, stages, cards and emotion curves into the lanes already there
/// (adding a default lane only where the kind is missing). This is the empty map's
/// "start from a template" offer. Refuses a map that already has stages, cards or
/// personas ([`SchemaError::NotEmpty`]) so that a second click, or two people clicking
/// at once from stale pages, cannot write the content twice into a map someone has
/// started.
pub fn fill(
    template: Template,
    txn: &mut MapTxn<'_, '_>,
    language: Language,
    ids: &mut impl IdSource,
) -> Result<(), SchemaError> {
    let view = txn.view();
    if !(view.stages.is_empty() && view.cards.is_empty() && view.personas.is_empty()) {
        return Err(SchemaError::NotEmpty);
    }
    txn.set_itinerary(template.itinerary());
    match template.blueprint(language) {
        Some(blueprint) => seed::write(blueprint, txn, ids, language),
        None => Ok(()),
    }
}

/// The first state of a new map's document, as a Yrs update v1: schema version, title,
/// itinerary kind and default lanes (named in `language`), then the template's content
/// in `language`. A blank map keeps the itinerary the caller chose; a template brings
/// its own.
pub fn initial_state(
    title: &str,
    itinerary: ItineraryKind,
    template: Template,
    language: Language,
    ids: &mut impl IdSource,
) -> Result<Vec<u8>, SchemaError> {
    use yrs::{ReadTxn, StateVector, Transact};
    let map = crate::schema::MapDoc::new(yrs::Doc::new());
    map.edit(|txn| match template {
        Template::Blank => {
            txn.init_in(title, itinerary, language, ids);
            Ok(())
        }
        other => apply(other, txn, title, language, ids),
    })?;
    let state = map
        .doc()
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(state)
}

#[cfg(test)]
mod tests;
