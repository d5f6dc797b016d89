//! The catalogue: every string of the web app, English and French side by side, one
//! section per part of the app. Entries are `key: "English" / "Français";`; a text
//! with `{name}` placeholders is filled with [`super::fill`].

catalogue! {
    // The frame.
    brand_home: "Parcours home" / "Accueil de Parcours";
    inbox: "Inbox" / "Boîte de réception";
    sign_in: "Sign in" / "Se connecter";
    sign_out: "Sign out" / "Se déconnecter";
    admin_badge: "admin" / "admin";
    admin_title: "Instance administrator" / "Administrateur·rice de l'instance";
    language: "Language" / "Langue";
    loading: "Loading…" / "Chargement…";
    redirecting: "Redirecting…" / "Redirection…";
    unreachable_title: "Parcours is not answering" / "Parcours ne répond pas";
    try_again: "Try again" / "Réessayer";
    // The sign-in page and its forms.
    login_page_title: "Sign in · Parcours" / "Connexion · Parcours";
    welcome: "Welcome to Parcours" / "Bienvenue sur Parcours";
    welcome_hint: "Sign in to see your journey maps, or create an account to start one."
        / "Connectez-vous pour retrouver vos parcours clients, ou créez un compte pour en commencer un.";
    email: "Email" / "Adresse e-mail";
    password: "Password" / "Mot de passe";
    signing_in: "Signing in…" / "Connexion…";
    create_account_heading: "Create an account" / "Créer un compte";
    display_name: "Display name" / "Nom affiché";
    password_hint: "At least {n} characters." / "Au moins {n} caractères.";
    creating_account: "Creating your account…" / "Création du compte…";
    create_account: "Create account" / "Créer le compte";
    // The server's errors the web app words itself (by their code), and its own.
    err_invalid_credentials: "wrong email or password" / "adresse e-mail ou mot de passe incorrect";
    err_signup_closed: "sign-up is by invitation only on this server; ask a map owner to invite you"
        / "sur ce serveur, on ne s'inscrit que sur invitation : demandez à un·e propriétaire de carte de vous inviter";
    err_too_many_attempts: "too many attempts; try again in 15 minutes"
        / "trop de tentatives ; réessayez dans 15 minutes";
    err_invalid_email: "that does not look like an email address"
        / "cela ne ressemble pas à une adresse e-mail";
    err_email_taken: "an account with this email exists" / "un compte existe déjà avec cette adresse";
    err_unauthorized: "sign in required (the session is missing, expired or revoked)"
        / "connexion requise (la session est absente, expirée ou révoquée)";
    err_internal: "internal error" / "erreur interne";
    err_network: "Could not reach the server: {why}" / "Impossible de joindre le serveur : {why}";
    err_unexpected: "Unexpected response from the server (HTTP {status})."
        / "Réponse inattendue du serveur (HTTP {status}).";
    // The map page's head and the board's frame.
    all_maps: "← All maps" / "← Toutes les cartes";
    loading_map: "Loading the map…" / "Chargement de la carte…";
    map_load_failed: "Could not load this map." / "Impossible de charger cette carte.";
    guest: "Guest" / "Invité·e";
    edited: "edited " / "modifiée ";
    archived: "Archived" / "Archivée";
    shared_by_link: "Shared by public link" / "Partagée par lien public";
    share: "Share" / "Partager";
    undo: "↶ Undo" / "↶ Annuler";
    undo_title: "Undo your last edit (Ctrl+Z)" / "Annuler votre dernière modification (Ctrl+Z)";
    redo: "↷ Redo" / "↷ Rétablir";
    redo_title: "Redo (Ctrl+Shift+Z)" / "Rétablir (Ctrl+Maj+Z)";
    evidence: "Evidence" / "Données clients";
    evidence_title: "What customers actually do: metrics per stage, funnel, flows, friction"
        / "Ce que font vraiment les clients : indicateurs par étape, entonnoir, flux, frictions";
    history: "History" / "Historique";
    history_title: "Versions, past moments, comparisons and restores"
        / "Versions, moments passés, comparaisons et restaurations";
    stages_corner: "Stages →" / "Étapes →";
    emotion_curve: "Emotion curve" / "Courbe émotionnelle";
    emotion_scale: "−2 … +2 per persona" / "−2 … +2 par persona";
    add_stage: "+ Stage" / "+ Étape";
    new_stage: "New stage" / "Nouvelle étape";
    stage_name: "Stage name" / "Nom de l'étape";
    move_left: "Move left" / "Déplacer à gauche";
    move_right: "Move right" / "Déplacer à droite";
    remove_stage: "Remove this stage and its cards" / "Supprimer cette étape et ses cartes";
    lane_name: "Lane name" / "Nom du couloir";
    move_up: "Move up" / "Monter";
    move_down: "Move down" / "Descendre";
    remove_lane: "Remove this lane and its cards" / "Supprimer ce couloir et ses cartes";
    new_lane_kind: "Kind of the new lane" / "Type du nouveau couloir";
    add_lane: "+ Lane" / "+ Couloir";
    objective: "Objective" / "Objectif";
    objective_placeholder: "Why this map exists" / "Pourquoi cette carte existe";
    // Presentation mode and the phone layout.
    present: "Present" / "Présenter";
    present_title: "Show the map full screen, one stage at a time" / "Afficher la carte en plein écran, une étape à la fois";
    presentation_of: "Presentation of {title}" / "Présentation de {title}";
    previous: "← Previous" / "← Précédent";
    next: "Next →" / "Suivant →";
    exit: "Exit" / "Quitter";
    previous_step: "Previous step" / "Étape précédente";
    next_step: "Next step" / "Étape suivante";
    step: "Step" / "Étape";
    stages_nav: "Stages" / "Étapes";
    phone_board: "The map, one step at a time" / "La carte, une étape à la fois";
    overview_step: "Overview: objective and personas" / "Vue d'ensemble : objectif et personas";
    stage_n: "Stage {n}: {name}" / "Étape {n} : {name}";
    stage_n_of: "Stage {n} of {count}" / "Étape {n} sur {count}";
    whole_journey: "The whole journey" / "Le parcours entier";
    phone_note: "Editing the board needs a wider screen; comments work here."
        / "Modifier le tableau demande un écran plus large ; les commentaires fonctionnent ici.";
    segment_label: "Segment:" / "Segment :";
    goals_label: "Goals:" / "Objectifs :";
    pains_label: "Pains:" / "Difficultés :";
    preferences_label: "Preferences:" / "Préférences :";
    no_objective: "No objective written yet." / "Aucun objectif écrit pour l'instant.";
    stages_to_begin: "{n} stages · → to begin" / "{n} étapes · → pour commencer";
    how_it_feels: "How it feels" / "Ce que l'on ressent";
    pain_points_n: "Pain points ({n})" / "Points de douleur ({n})";
    pain_points: "Pain points" / "Points de douleur";
    no_pain: "None noted at this stage." / "Aucun noté à cette étape.";
    aim: " · aim: {score}" / " · visé : {score}";
    not_scored: "not scored" / "sans note";
    very_negative: "very negative" / "très négatif";
    negative: "negative" / "négatif";
    neutral: "neutral" / "neutre";
    positive: "positive" / "positif";
    very_positive: "very positive" / "très positif";
    // Following.
    following: "Following " / "Vous suivez ";
    following_at: " · at " / " · à ";
    stop: "Stop" / "Arrêter";
    leader_left: "The person you followed left the map." / "La personne que vous suiviez a quitté la carte.";
    ask_follow: "Ask everyone to follow me" / "Demander à tous de me suivre";
    stop_asking: "Stop asking to follow" / "Ne plus demander à être suivi·e";
    ask_follow_title: "Everyone on the map who follows nobody starts following your view"
        / "Toute personne sur la carte qui ne suit personne se met à suivre votre vue";
    follow_person: "Follow {name}" / "Suivre {name}";
    follow_person_title: "{name}: follow their view" / "{name} : suivre sa vue";
    you: "{name} (you)" / "{name} (vous)";
    // The empty map's offer.
    empty_title: "This map is empty" / "Cette carte est vide";
    empty_text: "A journey map starts from an objective and a persona, then the stages of their journey. Follow the method step by step, or fill the map from a sector example and make it yours."
        / "Une carte de parcours part d'un objectif et d'un persona, puis des étapes de son parcours. Suivez la méthode pas à pas, ou remplissez la carte à partir d'un exemple sectoriel et adaptez-le.";
    start_method: "Start with the method" / "Commencer par la méthode";
    or: "or" / "ou";
    fill_from_example: "Fill from the example" / "Remplir à partir de l'exemple";
    use_example: "Use this example" / "Utiliser cet exemple";
    template_not_empty: "Someone started this map meanwhile: the template was not added."
        / "Quelqu'un a commencé cette carte entre-temps : l'exemple n'a pas été ajouté.";
    template_failed: "The template could not be added: {why}." / "L'exemple n'a pas pu être ajouté : {why}.";
    map_not_loaded: "The map is not loaded yet." / "La carte n'est pas encore chargée.";
    // Comments.
    comments: "Comments" / "Commentaires";
    comments_n: "Comments ({n})" / "Commentaires ({n})";
    // The keyboard shortcuts sheet.
    shortcuts: "Keyboard shortcuts" / "Raccourcis clavier";
    shortcuts_button: "Keyboard shortcuts (?)" / "Raccourcis clavier (?)";
    sc_anywhere: "Anywhere" / "Partout";
    sc_toggle: "Show or hide this list" / "Afficher ou masquer cette liste";
    sc_escape_keys: "Escape" / "Échap";
    sc_escape: "Close a dialog, a menu or this list" / "Fermer une fenêtre, un menu ou cette liste";
    sc_tab_keys: "Tab / Shift+Tab" / "Tab / Maj+Tab";
    sc_tab: "Move to the next / previous control" / "Passer à la commande suivante / précédente";
    sc_next_card: "On a card: go to the neighbouring card that way"
        / "Sur une carte : aller à la carte voisine dans ce sens";
    sc_board: "On the board (editors)" / "Sur le tableau (éditeurs)";
    sc_undo: "Undo your last edit" / "Annuler votre dernière modification";
    sc_redo_keys: "Ctrl+Shift+Z or Ctrl+Y" / "Ctrl+Maj+Z ou Ctrl+Y";
    sc_redo: "Redo" / "Rétablir";
    sc_enter: "Save the card being typed and leave it" / "Enregistrer la carte en cours et la quitter";
    sc_shift_enter_keys: "Shift+Enter" / "Maj+Entrée";
    sc_enter_keys: "Enter" / "Entrée";
    sc_new_line: "New line in a card" / "Nouvelle ligne dans une carte";
    sc_move_stage: "Move the focused card to the previous / next stage"
        / "Déplacer la carte active vers l'étape précédente / suivante";
    sc_move_lane: "Move the focused card up / down, across lanes at the ends"
        / "Monter / descendre la carte active, d'un couloir à l'autre aux extrémités";
    sc_emotion: "On an emotion point" / "Sur un point d'émotion";
    sc_raise: "Raise / lower the score" / "Monter / baisser la note";
    sc_home_end_keys: "Home / End" / "Début / Fin";
    sc_extremes: "Lowest / highest score" / "Note la plus basse / la plus haute";
    sc_delete_keys: "Delete" / "Suppr";
    sc_clear: "Clear the score" / "Effacer la note";
    // Times, kinds, roles, channels and statuses (format.rs).
    just_now: "just now" / "à l'instant";
    minutes_ago: "{n} min ago" / "il y a {n} min";
    hours_ago: "{n} h ago" / "il y a {n} h";
    yesterday: "yesterday" / "hier";
    days_ago: "{n} days ago" / "il y a {n} jours";
    date_at_time: "{date}, {time}" / "{date} à {time}";
    itinerary_linear: "Linear" / "Linéaire";
    itinerary_omnichannel: "Omnichannel" / "Omnicanal";
    itinerary_personalized: "Personalized" / "Personnalisé";
    role_owner: "Owner" / "Propriétaire";
    role_editor: "Editor" / "Éditeur";
    role_commenter: "Commenter" / "Commentateur";
    role_viewer: "Viewer" / "Lecteur";
    role_owner_hint: "edits, shares and deletes" / "modifie, partage et supprime";
    role_editor_hint: "edits the map" / "modifie la carte";
    role_commenter_hint: "reads and comments" / "lit et commente";
    role_viewer_hint: "reads only" / "lit seulement";
    expiry_never: "never" / "jamais";
    expiry_expired: "expired" / "expiré";
    audit_member_added: "added a member" / "a ajouté un membre";
    audit_role_changed: "changed a role" / "a changé un rôle";
    audit_member_removed: "removed a member" / "a retiré un membre";
    audit_ownership_transferred: "transferred ownership" / "a transmis la propriété";
    audit_invitation_created: "invited by email" / "a invité par e-mail";
    audit_invitation_claimed: "invitation claimed" / "invitation réclamée";
    audit_invitation_accepted: "accepted an invitation" / "a accepté une invitation";
    audit_invitation_revoked: "withdrew an invitation" / "a retiré une invitation";
    audit_link_created: "created a share link" / "a créé un lien de partage";
    audit_link_revoked: "revoked a share link" / "a révoqué un lien de partage";
    audit_link_accepted: "joined through a link" / "a rejoint par un lien";
    audit_map_created: "created the map" / "a créé la carte";
    audit_map_archived: "archived the map" / "a archivé la carte";
    audit_map_restored: "restored the map" / "a restauré la carte";
    template_blank: "Blank map" / "Carte vierge";
    template_b2b_saas: "B2B SaaS platform" / "Plateforme SaaS B2B";
    template_b2b_marketplace: "B2B e-commerce marketplace" / "Place de marché e-commerce B2B";
    template_b2c_retail: "B2C omnichannel retail" / "Commerce de détail omnicanal B2C";
    template_retail_bank: "Retail bank" / "Banque de détail";
    template_university: "University admissions" / "Admissions à l'université";
    template_blank_about: "An empty map with the default lanes and no stages yet."
        / "Une carte vide, avec les couloirs par défaut et encore aucune étape.";
    template_b2b_saas_about: "An enterprise buying committee evaluates, buys, adopts and renews a software platform."
        / "Le comité d'achat d'une grande entreprise évalue, achète, adopte et renouvelle une plateforme logicielle.";
    template_b2b_marketplace_about: "A corporate procurement team sources, orders in bulk and tracks deliveries on a wholesale marketplace."
        / "Le service achats d'une entreprise source, commande en gros et suit ses livraisons sur une place de marché de gros.";
    template_b2c_retail_about: "Shoppers hop between ads, the website, an augmented-reality app, stores and email from first glimpse to loyalty."
        / "Les clients passent des publicités au site web, à une appli de réalité augmentée, aux magasins et aux e-mails, du premier regard à la fidélité.";
    template_retail_bank_about: "Individuals compare, open and settle into a bank account across web, app, chat and branch."
        / "Des particuliers comparent, ouvrent et prennent en main un compte bancaire entre site web, appli, chat en ligne et agence.";
    template_university_about: "Prospective students discover, apply to and join a university, with separate paths for school leavers, international and adult applicants."
        / "De futurs étudiants découvrent une université, y candidatent et la rejoignent, avec un itinéraire par profil : bacheliers, candidats internationaux et adultes en reprise d'études.";
    channel_web: "Web" / "Site web";
    channel_app: "App" / "Appli";
    channel_store: "Store" / "Magasin";
    channel_phone: "Phone" / "Téléphone";
    channel_email: "Email" / "E-mail";
    channel_social: "Social" / "Réseaux sociaux";
    channel_partner: "Partner" / "Partenaire";
    channel_chat: "Chat" / "Chat en ligne";
    channel_mail: "Mail" / "Courrier";
    channel_other: "Other" / "Autre";
    status_idea: "Idea" / "Idée";
    status_planned: "Planned" / "Prévue";
    status_in_progress: "In progress" / "En cours";
    status_done: "Done" / "Faite";
    status_dropped: "Dropped" / "Abandonnée";
    // The board: cards and their fields.
    loading_live_map: "Loading the live map…" / "Chargement de la carte en direct…";
    card_text: "Card text" / "Texte de la carte";
    card_placeholder: "Write something…" / "Écrivez quelque chose…";
    card_history_title: "Who changed this card, and when" / "Qui a modifié cette carte, et quand";
    card_delete_title: "Delete this card" / "Supprimer cette carte";
    add_card: "+ Card" / "+ Carte";
    add_card_title: "Add a card here" / "Ajouter une carte ici";
    channel: "Channel" / "Canal";
    channels: "Channels" / "Canaux";
    no_channel: "No channel" / "Aucun canal";
    status: "Status" / "Statut";
    no_status: "No status" / "Aucun statut";
    opportunity_owner: "Owner" / "Responsable";
    kpi_baseline: "Baseline" / "Référence";
    kpi_current: "Current" / "Actuel";
    kpi_target: "Target" / "Cible";
    kpi_unit: "Unit" / "Unité";
    lane_actions: "Customer actions" / "Actions du client";
    lane_touchpoints: "Touchpoints" / "Points de contact";
    lane_thoughts: "Thoughts" / "Pensées";
    lane_emotions: "Emotions" / "Émotions";
    lane_pain_points: "Pain points" / "Points de douleur";
    lane_opportunities: "Opportunities" / "Opportunités";
    lane_kpis: "KPIs" / "Indicateurs (KPI)";
    lane_backstage: "Backstage" / "Coulisses";
    lane_notes: "Notes" / "Remarques";
    // The board: personas and the emotion curve.
    personas: "Personas" / "Personas";
    add_persona: "+ Persona" / "+ Persona";
    new_persona: "New persona" / "Nouveau persona";
    persona_name: "Persona name" / "Nom du persona";
    persona_segment: "Segment" / "Segment";
    persona_goals: "Goals" / "Objectifs";
    persona_pains: "Pains" / "Difficultés";
    persona_preferences: "Preferences" / "Préférences";
    move_earlier: "Move earlier" / "Déplacer avant";
    move_later: "Move later" / "Déplacer après";
    remove_persona: "Remove this persona" / "Supprimer ce persona";
    emotion_point: "{persona} · {series} · {stage}: {score}" / "{persona} · {series} · {stage} : {score}";
    as_is: "as is" / "actuel";
    to_be: "to be" / "visé";
    // The board: channel switches (omnichannel).
    channel_switches: "Channel switches" / "Changements de canal";
    no_switch: "No switch" / "Aucun changement";
    one_switch: "1 switch" / "1 changement";
    n_switches: "{n} switches" / "{n} changements";
    one_switch_by_hand: "1 switch drawn by hand" / "1 changement tracé à la main";
    n_switches_by_hand: "{n} switches drawn by hand" / "{n} changements tracés à la main";
    switch_note: "Note on this switch" / "Remarque sur ce changement";
    switch_note_placeholder: "Note (e.g. continues in branch)" / "Remarque (ex. : se poursuit en agence)";
    remove_switch: "Remove this switch" / "Supprimer ce changement";
    draw_switch_title: "Draw a channel switch from this touchpoint" / "Tracer un changement de canal depuis ce point de contact";
    pick_switch_target: "Pick the touchpoint the customer switches to." / "Choisissez le point de contact vers lequel le client bascule.";
    switches_to: "Switches to" / "Bascule vers";
    pick_touchpoint: "Pick a touchpoint…" / "Choisir un point de contact…";
    note: "Note" / "Remarque";
    switch_form_note_placeholder: "e.g. continues in branch" / "ex. : se poursuit en agence";
    draw_switch: "Draw switch" / "Tracer le changement";
    cancel: "Cancel" / "Annuler";
    // The board: paths (personalized itineraries).
    paths: "Paths" / "Itinéraires";
    path: "Path" / "Itinéraire";
    paths_hint: "Each path is a segment or persona and the condition that sends a customer down it. Cards on no path in particular are on every path. Pick a path to follow it."
        / "Chaque itinéraire correspond à un segment ou à un persona, et à la condition qui y mène le client. Les cartes sans itinéraire particulier sont sur tous les itinéraires. Choisissez un itinéraire pour le suivre.";
    add_path: "+ Path" / "+ Itinéraire";
    new_path: "New path" / "Nouvel itinéraire";
    path_name: "Path name" / "Nom de l'itinéraire";
    path_persona: "Persona this path serves" / "Persona servi par cet itinéraire";
    any_persona: "Any persona" / "Tout persona";
    path_condition: "Condition that selects this path" / "Condition qui mène à cet itinéraire";
    path_condition_placeholder: "When does a customer take this path?" / "Quand un client prend-il cet itinéraire ?";
    remove_path: "Delete this path (its cards go back to every path)" / "Supprimer cet itinéraire (ses cartes reviennent sur tous les itinéraires)";
    path_pick_title: "Highlight this path's cards and route" / "Mettre en évidence les cartes et le tracé de cet itinéraire";
    path_follow: "Follow" / "Suivre";
    path_following: "Following" / "Suivi";
    no_own_cards: "no cards of its own" / "aucune carte propre";
    one_own_card: "1 card of its own" / "1 carte propre";
    n_own_cards: "{n} cards of its own" / "{n} cartes propres";
    branch_caption: "Where the paths diverge and rejoin" / "Où les itinéraires se séparent et se rejoignent";
    branch_feels: " · feels {score}" / " · ressenti {score}";
    branch_shared: "shared" / "commun";
    branch_own: "{n} own" / "{n} propres";
    branch_diverge: "diverge" / "se séparent";
    branch_apart: "still apart" / "toujours séparés";
    branch_rejoin: "rejoin" / "se rejoignent";
    branch_together: "together" / "ensemble";
    all_paths: "All paths" / "Tous les itinéraires";
    route_badge: "path" / "itinéraire";
    route_badge_title: "The followed path has cards of its own here" / "L'itinéraire suivi a ici des cartes propres";
    // The board: cards that lost their place, comment markers.
    one_orphan: "1 card lost its place" / "1 carte a perdu sa place";
    n_orphans: "{n} cards lost their place" / "{n} cartes ont perdu leur place";
    orphans_why: "Their stage or lane was removed while they were being added or moved."
        / "Leur étape ou leur couloir a été supprimé pendant qu'on les ajoutait ou les déplaçait.";
    orphans_put_back: "Put each one back where it belongs." / "Remettez chacune à sa place.";
    orphans_editor_can: "An editor can put them back." / "Un éditeur peut les remettre en place.";
    orphan_was_in: "was in {stage} · {lane}" / "était dans {stage} · {lane}";
    removed_stage: "a removed stage" / "une étape supprimée";
    removed_lane: "a removed lane" / "un couloir supprimé";
    orphan_stage: "Stage to put it in" / "Étape où la remettre";
    orphan_lane: "Lane to put it in" / "Couloir où la remettre";
    put_it_here: "Put it here" / "La remettre ici";
    empty_card: "(empty card)" / "(carte vide)";
    this_card: "this card" / "cette carte";
    this_stage: "this stage" / "cette étape";
    this_lane: "this lane" / "ce couloir";
    this_cell: "this cell" / "cette case";
    the_map: "the map" / "la carte";
    comments_on: "Comments on {what}" / "Commentaires sur {what}";
    one_thread_on: "1 open thread on {what}" / "1 fil ouvert sur {what}";
    n_threads_on: "{n} open threads on {what}" / "{n} fils ouverts sur {what}";
    // Comments: the panel, threads and replies.
    show_all: "Show all" / "Tout afficher";
    show_filter: "Show" / "Afficher";
    no_threads: "No threads here yet." / "Aucun fil ici pour l'instant.";
    filter_all: "All" / "Tous";
    filter_open: "Open" / "Ouverts";
    filter_resolved: "Resolved" / "Résolus";
    filter_mine: "Mine" / "Les miens";
    filter_round: "This round" / "Ce tour";
    mentions_without_access: "Not notified, they have no access to this map: {names}"
        / "Non prévenu·es, ces personnes n'ont pas accès à cette carte : {names}";
    new_thread_card: "New thread on this card" / "Nouveau fil sur cette carte";
    new_thread_stage: "New thread on this stage" / "Nouveau fil sur cette étape";
    new_thread_lane: "New thread on this lane" / "Nouveau fil sur ce couloir";
    new_thread_cell: "New thread on this cell" / "Nouveau fil sur cette case";
    new_thread_map: "New thread on the map" / "Nouveau fil sur la carte";
    comment_placeholder: "Write a comment; @name mentions a member" / "Écrivez un commentaire ; @nom mentionne un membre";
    part_of_round: "Part of the review round “{title}”" / "Dans le tour de relecture « {title} »";
    comment_submit: "Comment" / "Publier";
    thread_anchor_title: "Show it on the board and its threads only" / "Le montrer sur le tableau, avec ses seuls fils";
    detached: "Detached" / "Détaché";
    detached_title: "What it was anchored on was deleted from the map" / "Ce à quoi il était rattaché a été supprimé de la carte";
    resolved: "Resolved" / "Résolu";
    round_badge: "Round" / "Tour";
    round_badge_title: "Opened for the review round “{title}”" / "Ouvert pour le tour de relecture « {title} »";
    resolve: "Resolve" / "Résoudre";
    reopen: "Reopen" / "Rouvrir";
    delete_comment_confirm: "Delete this comment?" / "Supprimer ce commentaire ?";
    comment_deleted: "Comment deleted" / "Commentaire supprimé";
    comment_edited: " · edited" / " · modifié";
    save: "Save" / "Enregistrer";
    edit: "Edit" / "Modifier";
    delete: "Delete" / "Supprimer";
    reply: "Reply" / "Répondre";
    reply_placeholder: "Reply…" / "Répondre…";
    anchor_named: "{what} “{name}”" / "{what} « {name} »";
    anchor_map: "The whole map" / "Toute la carte";
    anchor_card: "Card" / "Carte";
    anchor_stage: "Stage" / "Étape";
    anchor_lane: "Lane" / "Couloir";
    anchor_cell: "Cell" / "Case";
    anchor_cell_of: "Cell {stage} × {lane}" / "Case {stage} × {lane}";
    // Review rounds.
    close: "Close" / "Fermer";
    none: "None." / "Aucun.";
    title: "Title" / "Titre";
    quoted: "“{text}”" / "« {text} »";
    close_round_confirm: "Close this review round now? Reviews not done yet stay not done."
        / "Clore ce tour de relecture maintenant ? Les relectures non faites le resteront.";
    round_due: " · review round, due {due}" / " · tour de relecture, échéance le {due}";
    reviews_done: "{done} of {total} reviews done" / "{done} relecture(s) faite(s) sur {total}";
    hide_changes: "Hide changes" / "Masquer les changements";
    changes_since_opened: "What changed since it opened" / "Ce qui a changé depuis l'ouverture";
    close_round: "Close round" / "Clore le tour";
    your_verdict: "Your verdict" / "Votre avis";
    approve: "Approve" / "Approuver";
    approved: "Approved" / "Approuvé";
    changes_requested: "Changes requested" / "Modifications demandées";
    summary_optional: "Summary (optional)" / "Synthèse (facultative)";
    mark_review_done: "Mark review done" / "Marquer la relecture comme faite";
    start_round: "Start a review round" / "Lancer un tour de relecture";
    past_rounds: "Past rounds ({n})" / "Tours passés ({n})";
    round_closed_at: " · closed {at}" / " · clos le {at}";
    round_past_counts: " · {approved} approved, {changes} changes requested, {done} of {total} reviews done"
        / " · {approved} approbation(s), {changes} demande(s) de modifications, {done} relecture(s) faite(s) sur {total}";
    review_done: "Done" / "Faite";
    review_not_done: "Not done yet" / "Pas encore faite";
    round_no_changes: "Nothing has changed since the round opened." / "Rien n'a changé depuis l'ouverture du tour.";
    round_one_change: "1 change since the round opened:" / "1 changement depuis l'ouverture du tour :";
    round_n_changes: "{n} changes since the round opened:" / "{n} changements depuis l'ouverture du tour :";
    round_loading_start: "Loading the map as it was when the round opened…" / "Chargement de la carte telle qu'elle était à l'ouverture du tour…";
    change_was: " (was “{text}”)" / " (avant : « {text} »)";
    element_title: "Title" / "du titre";
    element_objective: "Objective" / "de l'objectif";
    element_persona: "Persona" / "d'un persona";
    element_stage: "Stage" / "d'une étape";
    element_lane: "Lane" / "d'un couloir";
    element_card: "Card" / "d'une carte";
    element_emotion: "Emotion score" / "d'une note d'émotion";
    change_added: "{what} added" / "Ajout {what}";
    change_removed: "{what} removed" / "Suppression {what}";
    change_changed: "{what} changed" / "Modification {what}";
    change_moved: "{what} moved" / "Déplacement {what}";
    review_round: "Review round" / "Tour de relecture";
    review_round_named: "Review round “{title}”" / "Tour de relecture « {title} »";
    loading_summary: "Loading the summary…" / "Chargement de la synthèse…";
    closed_on_due: "Closed at its due date, {at}" / "Clos à son échéance, le {at}";
    closed_by_hand: "Closed by hand, {at}" / "Clos à la main, le {at}";
    open_due: "Open, due {at}" / "Ouvert, échéance le {at}";
    round_opened_at: " · opened {at}" / " · ouvert le {at}";
    reviewers: "Reviewers" / "Relecteurs";
    threads_opened_in_round: "Threads opened during the round ({n})" / "Fils ouverts pendant le tour ({n})";
    threads_resolved_in_round: "Threads resolved during the round ({n})" / "Fils résolus pendant le tour ({n})";
    changed_since_opened: "What changed on the map since it opened" / "Ce qui a changé sur la carte depuis l'ouverture";
    round_needs_title: "Give the round a title." / "Donnez un titre au tour.";
    round_needs_due: "Choose a due date." / "Choisissez une échéance.";
    round_due_in_future: "The due date must be in the future." / "L'échéance doit être dans le futur.";
    round_needs_reviewer: "Choose at least one reviewer." / "Choisissez au moins un relecteur.";
    round_start_recorded: "The map as it is now is recorded as the round's start, so feedback can be read against what reviewers saw."
        / "La carte telle qu'elle est maintenant est enregistrée comme point de départ du tour : les retours se lisent face à ce que les relecteurs ont vu.";
    round_title_placeholder: "e.g. Friday review of the onboarding journey" / "ex. : relecture du vendredi du parcours d'accueil";
    instructions: "Instructions" / "Consignes";
    instructions_placeholder: "What should reviewers look at?" / "Que doivent regarder les relecteurs ?";
    due: "Due" / "Échéance";
    reviewers_legend: "Reviewers (members who can comment)" / "Relecteurs (membres qui peuvent commenter)";
    loading_members: "Loading the members…" / "Chargement des membres…";
    start_the_round: "Start the round" / "Lancer le tour";
    // History: the panel, versions, the slider, an element's story, restores.
    viewing: "Viewing" / "Vous voyez";
    read_only_past: " — read-only, nothing can be edited here." / " — en lecture seule, rien ne peut être modifié ici.";
    restore_this_version: "Restore this version" / "Restaurer cette version";
    return_to_live: "Return to live" / "Revenir au direct";
    compare_nothing: " · nothing changed" / " · rien n'a changé";
    compare_one: " · 1 change, marked on the board" / " · 1 changement, signalé sur le tableau";
    compare_n: " · {n} changes, marked on the board" / " · {n} changements, signalés sur le tableau";
    undo_restore: "Undo" / "Annuler";
    dismiss: "Dismiss" / "Masquer";
    since_one: "1 change since your last visit" / "1 changement depuis votre dernière visite";
    since_n: "{n} changes since your last visit" / "{n} changements depuis votre dernière visite";
    you_came: " (you came {at})" / " (vous êtes venu·e le {at})";
    show_changes: "Show changes" / "Afficher les changements";
    version_named: "Named version" / "Version nommée";
    version_round: "Review round opened" / "Ouverture d'un tour de relecture";
    round_version_name: "Round opened: {title}" / "Tour de relecture ouvert : {title}";
    version_restore: "Before a restore" / "Avant une restauration";
    version_auto: "Saved automatically" / "Enregistrée automatiquement";
    version_of: "the version of {at}" / "la version du {at}";
    author_restore: "{name} (restore)" / "{name} (restauration)";
    former_member: "A former member" / "Un ancien membre";
    unknown_author: "Unknown" / "Inconnu";
    nobody: "nobody" / "personne";
    element_created: "Created" / "Création";
    element_moved: "Moved" / "Déplacement";
    element_deleted: "Deleted" / "Suppression";
    element_changed: "Changed" / "Modification";
    field_title: "title" / "titre";
    field_objective: "objective" / "objectif";
    field_itinerary: "itinerary" / "itinéraire";
    field_name: "name" / "nom";
    field_order: "order" / "ordre";
    field_kind: "kind" / "type";
    field_stage: "stage" / "étape";
    field_lane: "lane" / "couloir";
    field_text: "text" / "texte";
    field_channel: "channel" / "canal";
    field_owner: "owner" / "responsable";
    field_status: "status" / "statut";
    field_unit: "unit" / "unité";
    field_baseline: "baseline" / "référence";
    field_current: "current" / "actuel";
    field_target: "target" / "cible";
    field_persona: "persona" / "persona";
    field_condition: "condition" / "condition";
    field_note: "note" / "remarque";
    field_segment: "segment" / "segment";
    field_goals: "goals" / "objectifs";
    field_pains: "pains" / "difficultés";
    field_preferences: "preferences" / "préférences";
    field_colon: "{field}: " / "{field} : ";
    yes: "yes" / "oui";
    no: "no" / "non";
    saved_as: "Saved as “{name}”." / "Enregistrée sous « {name} ».";
    name_this_version: "Name this version" / "Nommer cette version";
    version_name_placeholder: "e.g. Before the workshop" / "ex. : Avant l'atelier";
    save_version: "Save version" / "Enregistrer la version";
    no_versions: "No versions yet: one is saved when editing pauses." / "Aucune version pour l'instant : une version est enregistrée quand les modifications marquent une pause.";
    history_kept_from: "History is kept from {at}." / "L'historique est conservé depuis le {at}.";
    versions: "Versions" / "Versions";
    loading_versions: "Loading the versions…" / "Chargement des versions…";
    compare_previous: "Compare with previous" / "Comparer avec la précédente";
    version_by: " · by {name}" / " · par {name}";
    edits_by: " · edits by {names}" / " · modifications de {names}";
    view: "View" / "Voir";
    compare_now: "Compare with now" / "Comparer avec maintenant";
    restore: "Restore" / "Restaurer";
    no_moments: "No changes in the last 24 hours." / "Aucun changement ces dernières 24 heures.";
    moments_heading: "Changes in the last 24 hours" / "Changements des dernières 24 heures";
    moments_refresh: "Load the latest changes" / "Charger les derniers changements";
    loading_changes: "Loading the changes…" / "Chargement des changements…";
    moment_on_version: "A version is shown; move the slider to step through the changes."
        / "Une version est affichée ; déplacez le curseur pour parcourir les changements.";
    now: "Now" / "Maintenant";
    the_live_map: " — the live map" / " — la carte en direct";
    one_element: "1 element" / "1 élément";
    n_elements: "{n} elements" / "{n} éléments";
    moment_who: " — {name} changed {elements}" / " — {name} a modifié {elements}";
    change_n_of: " (change {n} of {count})" / " (changement {n} sur {count})";
    one_change_earlier: "One change earlier" / "Un changement plus tôt";
    one_change_later: "One change later" / "Un changement plus tard";
    step_through_changes: "Step through the changes" / "Parcourir les changements";
    only_latest_changes: "Only the latest changes are listed." / "Seuls les derniers changements sont listés.";
    all_versions: "← All versions" / "← Toutes les versions";
    deleted_element: "A deleted element" / "Un élément supprimé";
    loading_its_history: "Loading its history…" / "Chargement de son historique…";
    no_recorded_change: "No recorded change yet." / "Aucun changement enregistré pour l'instant.";
    position_in_cell: "its position in the cell" / "sa position dans la case";
    it: "It" / "L'élément";
    by_author: " by {name}" / " par {name}";
    current: "Current" / "Actuelle";
    restore_this: "Restore this" / "Restaurer cet état";
    created_by: "Created by {name}, " / "Créé par {name}, ";
    deleted_by: "Deleted by {name}, " / "Supprimé par {name}, ";
    moved_by: "Moved by {name}, " / "Déplacé par {name}, ";
    edited_by: "Edited by {name}, " / "Modifié par {name}, ";
    persona_word: "Persona" / "Persona";
    changes_to_now: "Changes from {from} to now" / "Changements de {from} à maintenant";
    changes_from_to: "Changes from {from} to {to}" / "Changements de {from} à {to}";
    restore_map_confirm: "Restore the whole map as it was at {title}? Everyone sees it at once; you can undo it."
        / "Restaurer toute la carte telle qu'elle était ({title}) ? Tout le monde la voit aussitôt ; vous pourrez annuler.";
    restored_map: "Restored the map as it was at {title}." / "Carte restaurée telle qu'elle était ({title}).";
    restored_element: "{what} restored as it was {at}." / "{what} : état du {at} restauré.";
    restore_undone: "Restore undone." / "Restauration annulée.";
    // Evidence: the panel, its tabs, results, charts, the mapping and imports.
    n_days: "{n} days" / "{n} jours";
    no_friction: "No friction to rank: map activities to at least two stages."
        / "Aucune friction à classer : rattachez des activités à au moins deux étapes.";
    friction_touchpoint: "touchpoint" / "point de contact";
    friction_stage: "stage" / "étape";
    friction_show_touchpoint: "Show this touchpoint on the map" / "Montrer ce point de contact sur la carte";
    friction_show_stage: "Show this stage on the map" / "Montrer cette étape sur la carte";
    friction_last_event: "last event" / "dernier événement";
    friction_drop_off: "drop-off" / "abandon";
    filtered: " · filtered" / " · filtré";
    computing: "computing…" / "calcul…";
    no_event_log_lower: "no event log yet" / "pas encore de journal d'événements";
    reach: "Reach" / "Portée";
    reach_title: "Distinct cases with any event in this stage" / "Parcours distincts ayant au moins un événement à cette étape";
    conversion: "Conversion" / "Conversion";
    conversion_title: "Cases that went on from the stage before, in order and within the window"
        / "Parcours venus de l'étape précédente, dans l'ordre et dans la fenêtre";
    drop_off: "Drop-off" / "Abandon";
    drop_off_title: "Cases of the stage before that did not reach this one" / "Parcours de l'étape précédente qui n'ont pas atteint celle-ci";
    median_time: "Median time" / "Durée médiane";
    median_time_title: "Median time from the stage before (90th percentile {p90})" / "Durée médiane depuis l'étape précédente (90e centile : {p90})";
    no_event_log: "No event log yet" / "Pas encore de journal d'événements";
    n_cases: "{n} cases" / "{n} parcours";
    event_log: "Event log" / "Journal d'événements";
    no_log_on_map: "No event log on this map yet." / "Pas encore de journal d'événements sur cette carte.";
    import_one_under: "Import one (a CSV with a case id, an activity and a timestamp per row) under"
        / "Importez-en un (un CSV avec un identifiant de parcours, une activité et un horodatage par ligne) dans";
    editors_can_import: "Editors of the map can import one." / "Les éditeurs de la carte peuvent en importer un.";
    events_unmapped: "{n} events not mapped to a stage" / "{n} événements rattachés à aucune étape";
    summary_cases_events: " cases, {events} events · overall conversion " / " parcours, {events} événements · conversion globale ";
    summary_paths: " · {n} distinct paths" / " · {n} chemins distincts";
    friction: "Friction" / "Frictions";
    funnel: "Funnel" / "Entonnoir";
    flows_top: "Flows of the top {n} paths" / "Flux des {n} chemins les plus fréquents";
    segments: "Segments" / "Segments";
    cases: "Cases" / "Parcours";
    entered: "Entered" / "Entrés";
    overall: "Overall" / "Global";
    tab_results: "Results" / "Résultats";
    tab_mapping: "Mapping" / "Correspondance";
    tab_data: "Event logs" / "Journaux d'événements";
    first_event_from: "First event from" / "Premier événement du";
    date_to: "to" / "au";
    all_segments: "All segments" / "Tous les segments";
    clear_filters: "Clear filters" / "Effacer les filtres";
    conversion_within: "Conversion within {n} days" / "Conversion sous {n} jours";
    conversion_window: "Conversion window (days)" / "Fenêtre de conversion (jours)";
    no_log_imported: "No event log imported yet." / "Aucun journal d'événements importé pour l'instant.";
    name: "Name" / "Nom";
    rows: "Rows" / "Lignes";
    bad_rows: "Bad rows" / "Lignes invalides";
    imported: "Imported" / "Importé";
    import_running: "An import is running: {n} rows read so far." / "Une importation est en cours : {n} lignes lues jusqu'ici.";
    delete_log_confirm: "Delete the event log “{name}” and its results for everyone?"
        / "Supprimer le journal d'événements « {name} » et ses résultats pour tout le monde ?";
    show_log_results: "Show this log's results" / "Afficher les résultats de ce journal";
    ready: "Ready" / "Prêt";
    importing: "Importing…" / "Importation…";
    line_n: "line {n}" / "ligne {n}";
    bad_rows_skipped: "{n} bad rows skipped in “{name}”" / "{n} lignes invalides ignorées dans « {name} »";
    first_listed: " (the first {n} listed)" / " (les {n} premières listées)";
    no_switch_in_log: "The log shows no channel switch (no channel column, or one channel per case)."
        / "Le journal ne montre aucun changement de canal (pas de colonne canal, ou un seul canal par parcours).";
    switch_cases: "{from} → {to}: {n} cases" / "{from} → {to} : {n} parcours";
    drawn_on_map_suffix: " · drawn on the map" / " · tracé sur la carte";
    from_to_corner: "from ↓ to →" / "de ↓ vers →";
    cases_seen: " cases seen" / " parcours observés";
    drawn_on_map: "Drawn on the map" / "Tracés sur la carte";
    funnel_row_title: "{stage}: {n} cases in order ({reach} reached it at all); conversion from the stage before {conversion}"
        / "{stage} : {n} parcours dans l'ordre ({reach} l'ont atteinte) ; conversion depuis l'étape précédente {conversion}";
    funnel_label: "Funnel: cases reaching each stage in order" / "Entonnoir : parcours atteignant chaque étape dans l'ordre";
    node_cases: "{name}: {n} cases" / "{name} : {n} parcours";
    flows_label: "Flows of the most frequent paths between stages" / "Flux des chemins les plus fréquents entre les étapes";
    flow_start: "Start" / "Début";
    flow_end: "End" / "Fin";
    reading_file_start: "Reading the start of the file…" / "Lecture du début du fichier…";
    import: "Import" / "Importer";
    to_send: "{size} to send" / "{size} à envoyer";
    import_log: "Import an event log" / "Importer un journal d'événements";
    import_log_hint: "A CSV file with one row per event: a case id (the customer), an activity and a timestamp; optionally the channel, the customer's segment and a value."
        / "Un fichier CSV avec une ligne par événement : un identifiant de parcours (le client), une activité et un horodatage ; en option le canal, le segment du client et une valeur.";
    event_log_file: "Event log file" / "Fichier du journal d'événements";
    upload_cut_off: " (the upload was cut off: the file may be larger than this server accepts)"
        / " (l'envoi a été interrompu : le fichier dépasse peut-être la taille acceptée par ce serveur)";
    tab_character: "tab" / "tabulation";
    columns_separated: "{n} columns separated by {delimiter}" / "{n} colonnes séparées par {delimiter}";
    timestamps_read_as: "; timestamps read as {format}" / " ; horodatages lus comme {format}";
    case_id: "Case id" / "Identifiant de parcours";
    activity: "Activity" / "Activité";
    timestamp: "Timestamp" / "Horodatage";
    value: "Value" / "Valeur";
    choose_dash: "— choose —" / "— choisir —";
    none_dash: "— none —" / "— aucun —";
    detect_looks_like: "detect (looks like {format})" / "détecter (ressemble à {format})";
    detect: "detect" / "détecter";
    timestamp_format_iso8601: "ISO 8601 (2026-06-01T10:15:30Z)" / "ISO 8601 (2026-06-01T10:15:30Z)";
    timestamp_format_dmy: "day/month/year (01/06/2026 10:15)" / "jour/mois/année (01/06/2026 10:15)";
    timestamp_format_mdy: "month/day/year (06/01/2026 10:15)" / "mois/jour/année (06/01/2026 10:15)";
    timestamp_format_epoch_s: "Unix time in seconds" / "temps Unix en secondes";
    timestamp_format_epoch_ms: "Unix time in milliseconds" / "temps Unix en millisecondes";
    timestamp_format: "Timestamp format" / "Format d'horodatage";
    max_bad_rows: "Stop after this many bad rows" / "Arrêter après ce nombre de lignes invalides";
    starting: "starting" / "démarrage";
    import_progress: "{percent} · {rows} rows read, {bad} bad" / "{percent} · {rows} lignes lues, {bad} invalides";
    sending_file: "Sending the file…" / "Envoi du fichier…";
    imported_summary: "Imported “{name}”: {rows} rows, {cases} cases, {bad} bad rows skipped; {mapped} of {activities} activities mapped from their names."
        / "« {name} » importé : {rows} lignes, {cases} parcours, {bad} lignes invalides ignorées ; {mapped} activités sur {activities} rattachées d'après leur nom.";
    check_mapping: "Check the mapping" / "Vérifier la correspondance";
    no_log_to_map: "No event log to map yet." / "Pas encore de journal d'événements à rattacher.";
    events: "Events" / "Événements";
    touchpoint: "Touchpoint" / "Point de contact";
    mapping_hint: "Each activity of the log counts for the stage it is mapped to (and the touchpoint, if any)."
        / "Chaque activité du journal compte pour l'étape à laquelle elle est rattachée (et pour le point de contact, s'il y en a un).";
    n_suggested: "{n} suggested from names, not saved yet." / "{n} proposées d'après les noms, pas encore enregistrées.";
    n_not_mapped: "{n} not mapped." / "{n} non rattachées.";
    saving: "Saving…" / "Enregistrement…";
    save_mapping: "Save the mapping" / "Enregistrer la correspondance";
    mapping_saved: "Saved: every open page shows the new results." / "Enregistré : chaque page ouverte affiche les nouveaux résultats.";
    not_saved_yet: "Not saved yet." / "Pas encore enregistré.";
    not_mapped_dash: "— not mapped —" / "— non rattachée —";
    stage_of: "Stage of {activity}" / "Étape de {activity}";
    touchpoint_of: "Touchpoint of {activity}" / "Point de contact de {activity}";
    overall_conversion_pct: "Overall conversion (%)" / "Conversion globale (%)";
    reach_of: "Reach of {stage}" / "Portée de {stage}";
    conversion_into: "Conversion into {stage} (%)" / "Conversion vers {stage} (%)";
    median_days_to: "Median days to {stage}" / "Jours médians jusqu'à {stage}";
    measure: "Measure" / "Mesure";
    typed_by_hand: "— typed by hand —" / "— saisie à la main —";
    kpi_cards_fed: "KPI cards fed by the data" / "Cartes d'indicateurs alimentées par les données";
    kpi_card: "KPI card" / "Carte d'indicateur";
    current_value_from: "Current value from" / "Valeur actuelle tirée de";
    mapping_read_hint: "Editors of the map decide which stage each activity of the log counts for."
        / "Les éditeurs de la carte décident pour quelle étape compte chaque activité du journal.";
    // The method panel: steps, checks, details and fixes.
    steps_done: "{done} of {total} steps" / "{done} étapes sur {total}";
    method: "Method" / "Méthode";
    method_title: "The six steps of a journey map, checked against this one"
        / "Les six étapes d'une carte de parcours, vérifiées sur celle-ci";
    the_method: "The method" / "La méthode";
    step_done: "done" / "faite";
    step_to_do: "to do" / "à faire";
    check_met: " (met)" / " (rempli)";
    check_not_yet: " (not yet)" / " (pas encore)";
    review_rounds: "Review rounds" / "Tours de relecture";
    fix_show_where: "Show where" / "Montrer où";
    fix_objective: "Write the objective" / "Écrire l'objectif";
    fix_add_persona: "Add a persona" / "Ajouter un persona";
    fix_persona: "Complete this persona" / "Compléter ce persona";
    fix_add_stage: "Add a stage" / "Ajouter une étape";
    fix_name_stage: "Name this stage" / "Nommer cette étape";
    fix_add_lane: "Add a {lane} lane" / "Ajouter un couloir « {lane} »";
    fix_cell: "Go to the cell" / "Aller à la case";
    fix_point: "Go to the point" / "Aller au point";
    fix_card: "Complete this card" / "Compléter cette carte";
    fix_paths: "Add paths" / "Ajouter des itinéraires";
    fix_path: "Write its condition" / "Écrire sa condition";
    step_objectives: "Set objectives" / "Définir les objectifs";
    step_personas: "Build personas" / "Construire les personas";
    step_touchpoints: "Identify touchpoints" / "Identifier les points de contact";
    step_pains: "Analyse pains and emotions" / "Analyser les points de douleur et les émotions";
    step_journey: "Represent the journey" / "Représenter le parcours";
    step_validation: "Validate and refine" / "Valider et affiner";
    step_objectives_question: "What result should this map help the business reach — fewer abandoned carts, a smoother onboarding?"
        / "Quel résultat cette carte doit-elle aider l'entreprise à atteindre — moins de paniers abandonnés, un accueil plus fluide ?";
    step_personas_question: "Who are the customers, and what does each one want, struggle with and prefer?"
        / "Qui sont les clients, et que veut, que subit et que préfère chacun d'eux ?";
    step_touchpoints_question: "Where does the customer meet the brand at each stage — online, offline, through a partner?"
        / "Où le client rencontre-t-il la marque à chaque étape — en ligne, hors ligne, par un partenaire ?";
    step_pains_question: "What could stop the customer moving on at each stage, and how do they feel there?"
        / "Qu'est-ce qui pourrait arrêter le client à chaque étape, et que ressent-il à ce moment-là ?";
    step_journey_question: "Can the whole team read the journey: its stages, what the customer does, and who acts on each opportunity?"
        / "Toute l'équipe peut-elle lire le parcours : ses étapes, ce que fait le client, et qui se charge de chaque opportunité ?";
    step_validation_question: "Does the map hold up against real customers — their feedback and their data — and what should change?"
        / "La carte tient-elle face aux vrais clients — leurs retours et leurs données — et que faut-il changer ?";
    check_objective: "The map states its objective" / "La carte énonce son objectif";
    check_persona: "At least one persona has goals and pains" / "Au moins un persona a des objectifs et des difficultés";
    check_touchpoints: "Every stage has a touchpoint" / "Chaque étape a un point de contact";
    check_emotions: "Every persona has an emotion score at every stage" / "Chaque persona a une note d'émotion à chaque étape";
    check_pains: "Every stage has a pain point" / "Chaque étape a un point de douleur";
    check_stages: "At least two stages, each named" / "Au moins deux étapes, chacune nommée";
    check_actions: "Every stage has a customer action" / "Chaque étape a une action du client";
    check_opportunities: "Opportunities are written down, each with an owner" / "Les opportunités sont écrites, chacune avec un responsable";
    check_channels: "Every touchpoint names its channel, and the journey uses at least two"
        / "Chaque point de contact nomme son canal, et le parcours en utilise au moins deux";
    check_paths: "At least two paths, each with the condition that selects it"
        / "Au moins deux itinéraires, chacun avec la condition qui y mène";
    check_validated: "A review round has closed, or customer evidence is imported"
        / "Un tour de relecture est clos, ou des données clients sont importées";
    detail_no_objective: "No objective yet: say what the map should help achieve."
        / "Pas encore d'objectif : dites ce que la carte doit aider à atteindre.";
    detail_goals_and_pains: "goals and pains" / "d'objectifs ni de difficultés";
    detail_goals: "goals" / "d'objectifs";
    detail_pains: "pains" / "de difficultés";
    detail_persona_missing: "{name} has no {missing} yet." / "{name} n'a pas encore {missing}.";
    detail_no_persona: "No persona yet." / "Pas encore de persona.";
    detail_no_persona_to_score: "No persona to score yet." / "Pas encore de persona à noter.";
    detail_no_stage: "The map has no stage yet." / "La carte n'a pas encore d'étape.";
    detail_no_lane: "The map has no {lane} lane." / "La carte n'a pas de couloir « {lane} ».";
    detail_a_touchpoint: "touchpoint" / "de point de contact";
    detail_a_pain_point: "pain point" / "de point de douleur";
    detail_a_customer_action: "customer action" / "d'action du client";
    detail_missing_at: "No {what} yet at {stages}." / "Pas encore {what} à l'étape : {stages}.";
    detail_persona_at: "{persona} at {stage}" / "{persona} à {stage}";
    detail_not_scored: "Not scored yet: {list}." / "Pas encore noté : {list}.";
    detail_few_stages: "{n} stage(s) so far: a journey has at least {min}." / "{n} étape(s) pour l'instant : un parcours en compte au moins {min}.";
    detail_stage_unnamed: "A stage has no name." / "Une étape n'a pas de nom.";
    detail_no_owner: "No owner yet: {list}." / "Pas encore de responsable : {list}.";
    detail_no_opportunity: "No opportunity yet." / "Pas encore d'opportunité.";
    detail_card_no_channel: "“{card}” has no channel yet." / "« {card} » n'a pas encore de canal.";
    detail_one_channel: "Only one channel so far ({channel})." / "Un seul canal pour l'instant ({channel}).";
    detail_no_channel: "No touchpoint channel yet." / "Pas encore de canal de point de contact.";
    detail_few_paths: "{n} path(s) so far: a personalized journey has at least {min}."
        / "{n} itinéraire(s) pour l'instant : un parcours personnalisé en compte au moins {min}.";
    detail_path_no_condition: "Path {name} has no condition yet." / "L'itinéraire {name} n'a pas encore de condition.";
    detail_not_validated: "Close a review round with the team, or import an event log of what customers really do."
        / "Clôturez un tour de relecture avec l'équipe, ou importez un journal d'événements de ce que font vraiment les clients.";
    detail_unnamed: "(unnamed)" / "(sans nom)";
    detail_and_more: "{list} and {n} more" / "{list} et {n} de plus";
    // The export menu.
    export: "Export" / "Exporter";
    export_this_version: "Export this version" / "Exporter cette version";
    export_pdf_poster: "PDF — one poster page" / "PDF — une page affiche";
    export_pdf_a4: "PDF — A4 pages" / "PDF — pages A4";
    export_pdf_a3: "PDF — A3 pages" / "PDF — pages A3";
    export_png: "PNG image" / "Image PNG";
    export_png_2x: "PNG image, 2× (sharper)" / "Image PNG, 2× (plus nette)";
    export_svg: "SVG image" / "Image SVG";
    export_csv: "CSV — one row per card" / "CSV — une ligne par carte";
    export_json: "JSON map file (imports back)" / "Fichier JSON de la carte (réimportable)";
    // The share dialog and the members list.
    share_title: "Share “{title}”" / "Partager « {title} »";
    people: "People" / "Personnes";
    people_on_map: "People on this map" / "Personnes sur cette carte";
    share_links: "Share links" / "Liens de partage";
    transfer_ownership: "Transfer ownership" / "Transmettre la propriété";
    audit_trail: "Audit trail" / "Journal d'audit";
    members_load_failed: "Could not load the members." / "Impossible de charger les membres.";
    loading_links: "Loading the share links…" / "Chargement des liens de partage…";
    links_load_failed: "Could not load the share links." / "Impossible de charger les liens de partage.";
    loading_audit: "Loading the audit trail…" / "Chargement du journal d'audit…";
    audit_load_failed: "Could not load the audit trail." / "Impossible de charger le journal d'audit.";
    role_of: "Role of {name}" / "Rôle de {name}";
    leave: "Leave" / "Quitter la carte";
    remove: "Remove" / "Retirer";
    you_suffix: " (you)" / " (vous)";
    new_owner: "New owner" / "Nouveau propriétaire";
    choose_member: "Choose a member…" / "Choisir un membre…";
    transfer_hint: "You stay on the map as an editor and can no longer share it."
        / "Vous restez sur la carte comme éditeur et ne pouvez plus la partager.";
    audit_empty: "Nothing recorded yet." / "Rien d'enregistré pour l'instant.";
    copy: "Copy" / "Copier";
    copy_link: "Copy link" / "Copier le lien";
    copied: "Copied" / "Copié";
    copy_by_hand: "Select and copy by hand" / "Sélectionnez et copiez à la main";
    link: "Link" / "Lien";
    link_works_until: "link works until {date}" / "lien valable jusqu'au {date}";
    no_link_yet: "no link yet: send it again to get one" / "pas encore de lien : renvoyez l'invitation pour en avoir un";
    invited_ago: "invited {ago}" / "invité·e {ago}";
    send_again: "Send again" / "Renvoyer";
    withdraw: "Withdraw" / "Retirer l'invitation";
    pending_invitations: "Pending invitations" / "Invitations en attente";
    invite_by_email: "Invite by email" / "Inviter par e-mail";
    email_placeholder: "name@example.com" / "nom@exemple.fr";
    role: "Role" / "Rôle";
    role_for_invited: "Role for the invited person" / "Rôle de la personne invitée";
    inviting: "Inviting…" / "Invitation…";
    invite: "Invite" / "Inviter";
    new_invite_link: "New link for {email} ({role}): the previous one no longer works."
        / "Nouveau lien pour {email} ({role}) : le précédent ne fonctionne plus.";
    is_invited_as: "{email} is invited as {role}." / "{email} est invité·e comme {role}.";
    invite_emailed: "It was emailed to them; you can also pass the link on yourself:"
        / "L'invitation lui a été envoyée par e-mail ; vous pouvez aussi transmettre le lien vous-même :";
    invite_not_emailed: "It was not emailed: send them this link yourself:"
        / "Elle n'a pas été envoyée par e-mail : transmettez ce lien vous-même :";
    invite_has_account: " They already have an account: the invitation also waits in their Parcours inbox."
        / " Cette personne a déjà un compte : l'invitation l'attend aussi dans sa boîte de réception Parcours.";
    invite_link_hint: "Whoever opens it can join the map, once, within {days} days; copy it now, it is shown only this once."
        / "Quiconque l'ouvre peut rejoindre la carte, une fois, sous {days} jours ; copiez-le maintenant, il ne s'affiche qu'une fois.";
    no_links: "No share links yet." / "Aucun lien de partage pour l'instant.";
    link_revoked: "Revoked" / "Révoqué";
    link_expired: "Expired" / "Expiré";
    link_active: "Active" / "Actif";
    revoke_ellipsis: "Revoke…" / "Révoquer…";
    link_shows_all: "map, comments and rounds" / "carte, commentaires et tours";
    link_shows_map: "map only" / "carte seule";
    public_badge: "Public" / "Public";
    sign_in_badge: "Sign-in" / "Connexion";
    link_expires: "expires: {when}" / "expire : {when}";
    link_created_on: "created {date}" / "créé le {date}";
    revoke_remove_members: "Also remove the people who joined through this link" / "Retirer aussi les personnes venues par ce lien";
    revoke_link: "Revoke link" / "Révoquer le lien";
    role_link_gives: "Role the link gives" / "Rôle donné par le lien";
    expires_after_days: "Expires after (days)" / "Expire après (jours)";
    public_title: "Anyone with a public link can view the map without an account. Viewer links only."
        / "Toute personne ayant un lien public peut voir la carte sans compte. Liens de lecteur seulement.";
    public_no_account: "Public (no account needed)" / "Public (sans compte)";
    include_comments_title: "Off: public visitors see the map only. On: they also read the team's comment threads and review rounds (never write)."
        / "Désactivé : les visiteurs publics ne voient que la carte. Activé : ils lisent aussi les fils de commentaires et les tours de relecture de l'équipe (sans jamais écrire).";
    include_comments: "Include comments and review rounds" / "Inclure les commentaires et les tours de relecture";
    creating: "Creating…" / "Création…";
    create_link: "Create link" / "Créer le lien";
    public_link_created: "Public link created. Anyone with it can view the map; copy it now, it is shown only once:"
        / "Lien public créé. Toute personne qui l'a peut voir la carte ; copiez-le maintenant, il ne s'affiche qu'une fois :";
    link_created: "Link created. Whoever opens it while signed in joins the map; copy it now, it is shown only once:"
        / "Lien créé. Quiconque l'ouvre en étant connecté rejoint la carte ; copiez-le maintenant, il ne s'affiche qu'une fois :";
    expiry_invalid: "The expiry is a whole number of days, from 1 to {max}, or empty for none."
        / "L'expiration est un nombre entier de jours, de 1 à {max}, ou vide pour aucune.";
    // The maps home: the list, the new-map form, importing a map, the inbox.
    journey_maps: "Journey maps" / "Cartes de parcours";
    journey_maps_hint: "Follow a persona through every stage, with your whole team."
        / "Suivez un persona à chaque étape, avec toute votre équipe.";
    search: "Search" / "Rechercher";
    search_placeholder: "Filter maps by title" / "Filtrer les cartes par titre";
    maps_load_failed: "Could not load the maps." / "Impossible de charger les cartes.";
    no_maps: "No journey maps yet." / "Aucune carte de parcours pour l'instant.";
    no_maps_hint: "Create the first one above: give it a title and pick how the journey runs."
        / "Créez la première ci-dessus : donnez-lui un titre et choisissez comment se déroule le parcours.";
    itinerary: "Itinerary" / "Itinéraire";
    your_role: "Your role" / "Votre rôle";
    last_edited: "Last edited" / "Dernière modification";
    on_it_now: "On it now" / "En ce moment";
    map_active: "Active" / "En cours";
    step_is_done: ": done" / " : faite";
    step_is_to_do: ": to do" / " : à faire";
    colon_list: ": {list}" / " : {list}";
    n_of_total: "{n} of {total}" / "{n} sur {total}";
    map_needs_title: "Give the map a title." / "Donnez un titre à la carte.";
    map_title_too_long: "The title is too long (200 characters at most)." / "Le titre est trop long (200 caractères au plus).";
    new_map: "New map" / "Nouvelle carte";
    map_title_placeholder: "e.g. B2B SaaS onboarding" / "ex. : accueil des clients SaaS B2B";
    start_from: "Start from" / "Partir de";
    create_map: "Create map" / "Créer la carte";
    linear_hint: "One ordered path through the stages." / "Un seul chemin, dans l'ordre des étapes.";
    omnichannel_hint: "The customer moves between channels; each switch is shown on the map."
        / "Le client passe d'un canal à l'autre ; chaque changement est montré sur la carte.";
    personalized_hint: "Alternative paths per segment or persona, each with the condition that selects it."
        / "Des itinéraires alternatifs par segment ou persona, chacun avec la condition qui y mène.";
    template_blank_title: "Untitled journey map" / "Carte de parcours sans titre";
    template_b2b_saas_title: "B2B SaaS: from first report to renewal" / "SaaS B2B : du premier rapport au renouvellement";
    template_b2b_marketplace_title: "B2B marketplace: from sourcing to reorder" / "Place de marché B2B : du sourcing à la nouvelle commande";
    template_b2c_retail_title: "Omnichannel retail: web, app and store" / "Commerce omnicanal : site web, appli et magasin";
    template_retail_bank_title: "Retail bank: choosing and opening an account" / "Banque de détail : choisir et ouvrir un compte";
    template_university_title: "University admissions: from discovery to first term" / "Admissions à l'université : de la découverte au premier semestre";
    checking_file: "Checking the file…" / "Vérification du fichier…";
    file_refused: "This file cannot be imported:" / "Ce fichier ne peut pas être importé :";
    orphans_left_out: " {n} cards whose stage or lane was removed are left out."
        / " {n} cartes dont l'étape ou le couloir a été supprimé sont laissées de côté.";
    open_quote: "“" / "« ";
    close_quote_colon: "”: " / " » : ";
    import_counts: "{stages} stages, {lanes} lanes, {cards} cards, {personas} personas, {paths} paths."
        / "{stages} étapes, {lanes} couloirs, {cards} cartes, {personas} personas, {paths} itinéraires.";
    stages_list: "Stages: {list}" / "Étapes : {list}";
    import_as_new_map: "Import as a new map" / "Importer comme nouvelle carte";
    uploading: "Uploading…" / "Envoi…";
    import_map: "Import a map" / "Importer une carte";
    import_map_hint: "A Parcours map file (.json, exported from any map) or a spreadsheet saved as CSV with the columns stage, lane and text (optionally lane_kind, channel, owner, status, kpi_baseline, kpi_current, kpi_target, kpi_unit, path). You become its owner."
        / "Un fichier de carte Parcours (.json, exporté de n'importe quelle carte) ou un tableur enregistré en CSV avec les colonnes stage, lane et text (en option lane_kind, channel, owner, status, kpi_baseline, kpi_current, kpi_target, kpi_unit, path). Vous en devenez propriétaire.";
    file: "File" / "Fichier";
    title_optional: "Title (optional)" / "Titre (facultatif)";
    keep_file_title: "Keep the file's title" / "Garder le titre du fichier";
    inbox_mention: "Mention" / "Mention";
    inbox_reply: "Reply" / "Réponse";
    inbox_review_request: "Review request" / "Demande de relecture";
    inbox_due_soon: "Due soon" / "Échéance proche";
    inbox_round_closed: "Round closed" / "Tour clos";
    inbox_invitation: "Invitation" / "Invitation";
    mark_all_read: "Mark all read" / "Tout marquer comme lu";
    nothing_here: "Nothing here yet." / "Rien ici pour l'instant.";
    load_older: "Load older" / "Charger les plus anciens";
    accepting: "Accepting…" / "Acceptation…";
    accept: "Accept" / "Accepter";
    to_accept_open_link: "To accept, open the invitation link sent to your address, or first"
        / "Pour accepter, ouvrez le lien d'invitation envoyé à votre adresse, ou d'abord";
    verify_your_address: "verify your address" / "vérifiez votre adresse";
    // The account, invitation, join, email confirmation and not-found pages; the live
    // connection's state.
    account_page_title: "Account · Parcours" / "Compte · Parcours";
    your_account: "Your account" / "Votre compte";
    instance_admin_suffix: " · instance administrator" / " · administrateur·rice de l'instance";
    password_changed: "Password changed. Your other sessions have been signed out."
        / "Mot de passe changé. Vos autres sessions ont été déconnectées.";
    page_not_found: "Page not found" / "Page introuvable";
    nothing_at_address: "There is nothing at this address." / "Il n'y a rien à cette adresse.";
    back_to_all_maps: "Back to all maps" / "Retour à toutes les cartes";
    join_page_title: "Joining a map · Parcours" / "Rejoindre une carte · Parcours";
    opening_shared_map: "Opening the shared map…" / "Ouverture de la carte partagée…";
    public_link_cannot_join: "A public link only lets you view the map. To join it, ask the map's owner for an invitation."
        / "Un lien public permet seulement de voir la carte. Pour la rejoindre, demandez une invitation à son propriétaire.";
    link_revoked_or_expired: "It may have been revoked or have expired. Ask the map's owner for a new one."
        / "Il a peut-être été révoqué ou a expiré. Demandez-en un nouveau au propriétaire de la carte.";
    link_does_not_work: "This link does not work" / "Ce lien ne fonctionne pas";
    back_to_your_maps: "Back to your maps" / "Retour à vos cartes";
    invitation_page_title: "Invitation · Parcours" / "Invitation · Parcours";
    opening_invitation: "Opening the invitation…" / "Ouverture de l'invitation…";
    invitation_does_not_work: "This invitation link does not work" / "Ce lien d'invitation ne fonctionne pas";
    invitation_gone_hint: "It was already used, withdrawn, or replaced by a newer link, or it has expired. Ask the person who invited you to send it again."
        / "Il a déjà servi, a été retiré ou remplacé par un lien plus récent, ou il a expiré. Demandez à la personne qui vous a invité·e de le renvoyer.";
    invitation_load_failed: "Could not open this invitation" / "Impossible d'ouvrir cette invitation";
    go_to_parcours: "Go to Parcours" / "Aller sur Parcours";
    invitation_to_title: "Invitation to {title} · Parcours" / "Invitation à {title} · Parcours";
    someone: "Someone" / "Quelqu'un";
    join_open: "Join “" / "Rejoindre « ";
    join_close: "”" / " »";
    invited_word: " invited " / " a invité ";
    to_this_map_as: " to this journey map as " / " sur cette carte de parcours comme ";
    link_works_once: ". The link works once, until {until}." / ". Le lien fonctionne une fois, jusqu'au {until}.";
    signed_in_as: "You are signed in as" / "Vous êtes connecté·e en tant que";
    invitation_sent_to: "This invitation was sent to" / "Cette invitation a été envoyée à";
    other_address_hint: ". Accepting it gives this account access to the map. If that is not what you want, sign out and use the account for that address."
        / ". L'accepter donne à ce compte l'accès à la carte. Si ce n'est pas ce que vous voulez, déconnectez-vous et utilisez le compte de cette adresse.";
    accept_and_open: "Accept and open the map" / "Accepter et ouvrir la carte";
    create_account_to_join: "Create an account to join" / "Créer un compte pour rejoindre la carte";
    already_have_account: "Already have an account?" / "Vous avez déjà un compte ?";
    sign_in_and_come_back: "Sign in, and you will come back here to accept the invitation."
        / "Connectez-vous, et vous reviendrez ici pour accepter l'invitation.";
    sign_in_to_accept: "Sign in to accept" / "Se connecter pour accepter";
    verify_page_title: "Confirm your address · Parcours" / "Confirmer votre adresse · Parcours";
    confirming_address: "Confirming your address…" / "Confirmation de votre adresse…";
    address_confirmed: "Your address is confirmed" / "Votre adresse est confirmée";
    address_confirmed_hint: "Thank you. Invitations to this address can now be accepted straight from your inbox."
        / "Merci. Les invitations envoyées à cette adresse peuvent désormais être acceptées directement depuis votre boîte de réception.";
    go_to_your_maps: "Go to your maps" / "Aller à vos cartes";
    confirmation_does_not_work: "This confirmation link does not work" / "Ce lien de confirmation ne fonctionne pas";
    confirmation_gone_hint: "It was already used, or it has expired. You can ask for a new one on your account page."
        / "Il a déjà servi, ou il a expiré. Vous pouvez en demander un nouveau sur la page de votre compte.";
    change_password: "Change password" / "Changer de mot de passe";
    current_password: "Current password" / "Mot de passe actuel";
    new_password: "New password" / "Nouveau mot de passe";
    new_password_hint: "At least {n} characters. Your other sessions will be signed out."
        / "Au moins {n} caractères. Vos autres sessions seront déconnectées.";
    changing: "Changing…" / "Modification…";
    verified: "Verified" / "Vérifiée";
    not_verified: "Not verified" / "Non vérifiée";
    email_is_verified: "{email} is verified: invitations sent to it can be accepted from your inbox."
        / "{email} est vérifiée : les invitations qui y sont envoyées peuvent être acceptées depuis votre boîte de réception.";
    email_not_verified: "{email} is not verified yet. Verifying it proves you receive mail there, so invitations sent to it can be accepted straight from your inbox."
        / "{email} n'est pas encore vérifiée. La vérifier prouve que vous y recevez du courrier : les invitations qui y sont envoyées pourront être acceptées directement depuis votre boîte de réception.";
    sending: "Sending…" / "Envoi…";
    send_verification: "Send verification email" / "Envoyer l'e-mail de vérification";
    verification_sent: "Sent. Open the link in the email to {email} to confirm it." / "Envoyé. Ouvrez le lien de l'e-mail reçu à {email} pour la confirmer.";
    mail_off_hint: "To join a map you were invited to, open the invitation link its owner gave you."
        / "Pour rejoindre une carte à laquelle vous êtes invité·e, ouvrez le lien d'invitation que son propriétaire vous a donné.";
    email_address: "Email address" / "Adresse e-mail";
    connecting: "Connecting…" / "Connexion…";
    live: "Live" / "En direct";
    reconnecting: "Reconnecting…" / "Reconnexion…";
    offline_unsent: "Offline — unsent edits kept" / "Hors ligne — modifications non envoyées conservées";
    offline_reconnecting: "Offline — reconnecting…" / "Hors ligne — reconnexion…";
    closed_signed_out: "Disconnected — you are signed out" / "Déconnecté — votre session est terminée";
    closed_access_removed: "Disconnected — your access was removed" / "Déconnecté — votre accès a été retiré";
    closed_map_deleted: "Disconnected — this map was deleted" / "Déconnecté — cette carte a été supprimée";
    // Texts found in the last sweep.
    transfer_none: "Invite someone first: ownership goes to another member."
        / "Invitez d'abord quelqu'un : la propriété revient à un autre membre.";
    loading_maps: "Loading maps…" / "Chargement des cartes…";
    computing_results: "Computing the results…" / "Calcul des résultats…";
    no_paths_to_draw: "No paths to draw." / "Aucun chemin à tracer.";
    upload_unsupported: "This browser cannot upload files." / "Ce navigateur ne peut pas envoyer de fichiers.";
    upload_not_started: "Could not start the upload." / "Impossible de lancer l'envoi.";
    import_failed_http: "The import failed (HTTP {status})." / "L'importation a échoué (HTTP {status}).";
    upload_interrupted: "The upload was interrupted: the server could not be reached."
        / "L'envoi a été interrompu : le serveur est injoignable.";
    // The audit trail's details (the server writes them in fixed forms).
    audit_transferred: "owner -> editor; new owner" / "propriétaire → éditeur ; nouveau propriétaire";
    audit_as_role: "as {role}" / "comme {role}";
    audit_joined_as: "joined as {role}" / "a rejoint comme {role}";
    audit_was_role: "was {role}" / "était {role}";
    audit_role_change: "{from} -> {to}" / "{from} → {to}";
    audit_public_with_comments: "{role}, public, with comments and review rounds" / "{role}, public, avec les commentaires et les tours de relecture";
    audit_public_without_comments: "{role}, public, without comments" / "{role}, public, sans les commentaires";
    audit_members_removed: "{n} members who joined through it removed" / "{n} membres venus par ce lien retirés";
    audit_accepted_detail: "invitation to {invited} as {role} accepted by {by}" / "invitation à {invited} comme {role} acceptée par {by}";
    switch_to_itself: "A switch joins two different touchpoints." / "Un changement de canal relie deux points de contact différents.";
    switch_failed: "The switch could not be drawn: {why}." / "Le changement n'a pas pu être tracé : {why}.";
    // The server's sentences sent as a form and values (`i18n/forms.rs`): each English
    // text is the shared crate's form, which a test compares.
    form_friction_stage: "{name} loses {pct} of the cases that reach it; median time there {time}."
        / "{name} perd {pct} des cas qui l'atteignent ; durée médiane passée à cette étape : {time}.";
    form_friction_stage_worst: "{name} loses {pct} of the cases that reach it, the most of any stage; median time there {time}."
        / "{name} perd {pct} des cas qui l'atteignent, plus que toute autre étape ; durée médiane passée à cette étape : {time}.";
    form_friction_touchpoint: "“{name}” is the last step for {pct} of the cases that use it; median wait after it {time}."
        / "« {name} » est la dernière étape de {pct} des cas qui y passent ; attente médiane après : {time}.";
    form_friction_unknown_time: "unknown" / "inconnue";
    form_inbox_mention: "{author} mentioned you on \"{map}\": {quote}" / "{author} vous a mentionné·e sur « {map} » : {quote}";
    form_inbox_reply: "{author} replied on \"{map}\": {quote}" / "{author} a répondu sur « {map} » : {quote}";
    form_inbox_review_request: "{author} asks you to review \"{map}\": {round}" / "{author} vous demande de relire « {map} » : {round}";
    form_inbox_round_closed: "Review round \"{round}\" on \"{map}\" was closed" / "Le tour de relecture « {round} » sur « {map} » a été clos";
    form_inbox_round_closed_at_due_date: "Review round \"{round}\" on \"{map}\" closed at its due date"
        / "Le tour de relecture « {round} » sur « {map} » s'est clos à son échéance";
    form_inbox_round_due_soon: "Review round \"{round}\" on \"{map}\" is due in {hours} h and your review is not done"
        / "Le tour de relecture « {round} » sur « {map} » arrive à échéance dans {hours} h et votre relecture n'est pas faite";
    form_inbox_invitation: "{author} invited you to “{map}” as {role}" / "{author} vous a invité·e sur « {map} » comme {role}";
    form_bad_row_missing_field: "no {column} (the row has {value} fields)" / "pas de champ {column} (la ligne a {value} champs)";
    form_bad_row_not_utf8: "the {column} is not UTF-8 text" / "le champ {column} n'est pas du texte UTF-8";
    form_bad_row_too_long: "the {column} is longer than {value} bytes" / "le champ {column} dépasse {value} octets";
    form_bad_row_empty: "the {column} is empty" / "le champ {column} est vide";
    form_bad_row_bad_timestamp: "the timestamp “{value}” is not {format}" / "l'horodatage « {value} » n'est pas au format {format}";
    form_bad_row_not_a_number: "the value “{value}” is not a number" / "la valeur « {value} » n'est pas un nombre";
    form_bad_row_too_many_activities: "more than {value} distinct activities" / "plus de {value} activités distinctes";
    event_column_case_id: "case id" / "identifiant de cas";
    event_column_activity: "activity" / "activité";
    event_column_timestamp: "timestamp" / "horodatage";
    event_column_channel: "channel" / "canal";
    event_column_segment: "segment" / "segment";
    event_column_value: "value" / "valeur";
    form_problem_bad_format: "must be “{format}”" / "doit valoir « {format} »";
    form_problem_unsupported_version: "version {version} is not supported (this server reads version {supported})"
        / "la version {version} n'est pas prise en charge (ce serveur lit la version {supported})";
    form_problem_title_length: "must be 1 to {max} characters" / "doit compter de 1 à {max} caractères";
    form_problem_too_many: "holds {count}; at most {max} are allowed" / "en contient {count} ; {max} au plus sont admis";
    form_problem_unknown_persona: "no persona has the id “{id}”" / "aucun persona n'a l'identifiant « {id} »";
    form_problem_unknown_stage: "no stage has the id “{id}”" / "aucune étape n'a l'identifiant « {id} »";
    form_problem_unknown_lane: "no lane has the id “{id}”" / "aucun couloir n'a l'identifiant « {id} »";
    form_problem_unknown_path: "no path has the id “{id}”" / "aucun itinéraire n'a l'identifiant « {id} »";
    form_problem_unknown_card: "no card has the id “{id}”" / "aucune carte n'a l'identifiant « {id} »";
    form_problem_not_a_touchpoint: "card “{id}” is not in a touchpoints lane" / "la carte « {id} » n'est pas dans un couloir de points de contact";
    form_problem_same_card: "a switch joins two different cards" / "un changement de canal relie deux cartes différentes";
    form_problem_scores_count: "holds {scores} scores for {stages} stages" / "contient {scores} notes pour {stages} étapes";
    form_problem_score_range: "a score is {min} to {max}" / "une note va de {min} à {max}";
    form_problem_channel_lane: "only cards in a touchpoints lane have a channel"
        / "seules les cartes d'un couloir de points de contact ont un canal";
    form_problem_owner_lane: "only cards in an opportunities lane have an owner and a status"
        / "seules les cartes d'un couloir d'opportunités ont un responsable et un statut";
    form_problem_kpi_lane: "only cards in a KPI lane have measures" / "seules les cartes d'un couloir d'indicateurs ont des mesures";
    form_problem_more_problems: "{count} more problems not listed" / "{count} autres problèmes non listés";
    form_problem_too_long: "longer than {max} characters" / "plus de {max} caractères";
    form_problem_id_length: "an id is 1 to 64 bytes" / "un identifiant compte de 1 à 64 octets";
    form_problem_duplicate_id: "“{id}” is already the id of {first}" / "« {id} » est déjà l'identifiant de {first}";
    form_problem_too_many_cards: "{count} cards; at most {max} are allowed" / "{count} cartes ; {max} au plus sont admises";
    form_problem_no_stage: "a card needs a stage" / "une carte doit avoir une étape";
    form_problem_no_lane: "a card needs a lane" / "une carte doit avoir un couloir";
    // The lists are the values the file itself may hold (as written there).
    form_problem_bad_lane_kind: "“{value}” is not a lane kind ({kinds})" / "« {value} » n'est pas un type de couloir (valeurs du fichier : {kinds})";
    form_problem_lane_kind_conflict: "the lane “{lane}” was already given another kind" / "le couloir « {lane} » a déjà reçu un autre type";
    form_problem_too_many_stages_lanes: "at most {stages} stages and {lanes} lanes are allowed"
        / "{stages} étapes et {lanes} couloirs au plus sont admis";
    form_problem_bad_channel: "“{value}” is not a channel ({channels})" / "« {value} » n'est pas un canal (valeurs du fichier : {channels})";
    form_problem_bad_status: "“{value}” is not a status ({statuses})" / "« {value} » n'est pas un statut (valeurs du fichier : {statuses})";
    form_problem_not_a_number: "“{value}” is not a number" / "« {value} » n'est pas un nombre";
    form_problem_not_utf8: "the file is not UTF-8 text (byte {byte} is invalid)" / "le fichier n'est pas du texte UTF-8 (l'octet {byte} est invalide)";
    // The CSV reader's own English (`{error}`) stays out of the French.
    form_problem_header_unreadable: "the header line is unreadable: {error}" / "la ligne d'en-tête est illisible";
    form_problem_missing_column: "the header line lacks the column {missing} (found: {found})"
        / "il manque à la ligne d'en-tête la colonne {missing} (trouvées : {found})";
    form_problem_missing_columns: "the header line lacks the columns {missing} (found: {found})"
        / "il manque à la ligne d'en-tête les colonnes {missing} (trouvées : {found})";
    form_problem_row_unreadable: "unreadable: {error}" / "ligne illisible";
    form_problem_too_many_rows: "more than {max} cards" / "plus de {max} cartes";
    // What no json_* form words: the JSON reader's English stays out of the French.
    form_problem_not_a_map_file: "not a Parcours map file: {error}"
        / "ce n'est pas un fichier de carte Parcours (le lecteur JSON y refuse une valeur)";
    form_problem_json_syntax: "not JSON text" / "ce n'est pas du texte JSON";
    form_problem_json_cut: "the file ends before its JSON does" / "le fichier s'arrête avant la fin de son JSON";
    form_problem_json_missing_field: "the field “{field}” is missing" / "le champ « {field} » manque";
    form_problem_json_duplicate_field: "the field “{field}” is given twice" / "le champ « {field} » est donné deux fois";
    form_problem_json_unknown_field: "“{field}” is not a field here" / "« {field} » n'est pas un champ attendu ici";
    form_problem_json_unknown_value: "“{value}” is not one of {expected}" / "« {value} » n'est pas l'une des valeurs {expected}";
    form_problem_json_wrong_type: "a value of the wrong type: JSON {found}" / "une valeur du mauvais type : {found} JSON";
    json_kind_string: "string" / "chaîne";
    json_kind_number: "number" / "nombre";
    json_kind_boolean: "boolean" / "booléen";
    json_kind_null: "null" / "null";
    json_kind_array: "array" / "tableau";
    json_kind_object: "object" / "objet";
    json_kind_value: "value" / "valeur";
    form_problem_not_written: "could not be written: {error}" / "n'a pas pu être écrit : {error}";
    form_place_row_column: "row {row}, column {column}" / "ligne {row}, colonne {column}";
    form_place_row: "row {row}" / "ligne {row}";
    form_place_line_column: "line {line}, column {column}" / "ligne {line}, colonne {column}";
    form_place_file: "file" / "fichier";
    form_place_rows: "rows" / "lignes";
}
