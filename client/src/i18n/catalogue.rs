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
    comment_submit: "Comment" / "Commenter";
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
}
