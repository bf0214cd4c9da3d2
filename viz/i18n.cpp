// The string tables, keyed by name. French and Italian need DejaVu Sans (é, à, œ, arrows): see fonts in app.cpp.
#include "viz/i18n.hpp"

namespace netstep::viz {

namespace {

Strings english() {
    Strings s;
    s.topology = "Topology";
    s.ladder = "Sequence diagram";
    s.page = "Page";
    s.captions_title = "Captions";
    s.handout_saved = "Handout written: %s";
    s.export_handout = "Export handout…";
    s.close = "Close";
    s.states = "TCP states (RFC 9293, Figure 5)";
    s.variables = "Connection variables";
    s.hosts = "Hosts";
    s.inspector = "Packet";
    s.log = "Event log";
    s.play = "Play";
    s.pause = "Pause";
    s.first_step = "First step (Home)";
    s.last_step = "Last step (End)";
    s.step_back = "Step back (←)";
    s.step_forward = "Step forward (→)";
    s.prev_packet = "Previous packet (PgUp)";
    s.next_packet = "Next packet (PgDn)";
    s.prev_state = "Previous state change (↑)";
    s.next_state = "Next state change (↓)";
    s.step = "step";
    s.speed = "Speed";
    s.steps_per_second = "steps/s";
    s.real_time = "real time";
    s.slow_motion = "slow motion";
    s.breakpoints = "Breakpoints";
    s.stop_on_state = "Stop when a socket enters";
    s.stop_on_errors = "Stop on errors and drops";
    s.open = "Open scenario";
    s.reload = "Reload (F5)";
    s.presenter = "Presenter mode (F2)";
    s.language = "Language";
    s.screenshot_saved = "Screenshot saved";
    s.keys_help = "Space play/pause · ←/→ step · PgUp/PgDn packet · ↑/↓ state · Home/End · P predict, A–D answer · F2 presenter · F12 screenshot";
    s.big_topology = "Topology";
    s.big_sequence = "Sequence";
    s.big_states = "States";
    s.big_variables = "Variables";
    s.big_details = "Hosts, packet, log, MAC table, graph";
    s.big_terminal = "Terminal";
    s.terminal = "Terminal";
    s.terminal_host = "Host";
    s.terminal_running = "a command runs: this goes to its input";
    s.terminal_help = "Enter: run the line at this step (the scenario runs again) · ↑/↓ history · Ctrl-C, Ctrl-D · Ctrl+S save as scenario";
    s.terminal_demo = "The demo trace runs no commands: open a scenario file.";
    s.terminal_rerunning = "running the scenario again…";
    s.discard_later = "Typing here discards %d later commands.";
    s.discard_later_one = "Typing here discards 1 later command.";
    s.save_scenario = "Save as scenario…";
    s.save = "Save";
    s.cancel = "Cancel";
    s.ok = "OK";
    s.saved_to = "Saved to";
    s.legend_data = "data";
    s.legend_ack = "ACK";
    s.legend_dropped = "dropped";
    s.router = "router";
    s.more_packets = "+%d more packets";
    s.no_packets = "No packets yet.";
    s.all_lifelines = "all lifelines";
    s.what_if = "What if…";
    s.drop_packet = "Drop this packet";
    s.delay_packet = "Delay it by 100 ms";
    s.duplicate_packet = "Duplicate it";
    s.revert = "Back to the original scenario";
    s.modified = "modified";
    s.no_connection = "No TCP connection yet.";
    s.end_a = "end A";
    s.end_b = "end B";
    s.variable = "Variable";
    s.not_armed = "not armed";
    s.fires_in = "fires in";
    s.timers = "Timers";
    s.relative_seq = "relative seq.";
    s.send_queue = "send queue";
    s.recv_queue = "receive queue";
    s.retransmits = "retransmissions";
    s.delayed_ack = "delayed ACK";
    s.persist = "persist";
    s.adapter = "Adapter";
    s.ipv4_address = "IPv4 address";
    s.subnet_mask = "Subnet mask";
    s.default_gateway = "Default gateway";
    s.physical_address = "Physical address";
    s.proto = "Proto";
    s.local_address = "Local address";
    s.foreign_address = "Foreign address";
    s.state = "State";
    s.no_sockets = "no sockets";
    s.closed = "closed";
    s.select_packet = "Click a packet in the diagrams to inspect it.";
    s.field = "Field";
    s.value = "Value";
    s.bytes = "Bytes";
    s.dropped_because = "Dropped:";
    s.journey = "Journey of this packet";
    s.journey_lit = "lit: what changes at each hop";
    s.journey_help = "One IP datagram, hop by hop. Lit: what each router changes (a new Ethernet frame, the TTL one lower); the IP addresses stay. Click a hop to select it.";
    s.hop_col = "Hop";
    s.lost_here = "lost here";
    s.filter = "Filter";
    s.packets = "packets";
    s.state_changes = "states";
    s.timers_filter = "timers";
    s.calls = "calls";
    s.captions = "captions";
    s.errors = "errors";
    s.scenario_error = "The scenario could not be run";
    s.loading = "Running the scenario…";
    s.closed_help = "The program has called close(); the OS finishes the connection on its own.";
    s.connection_gone = "The connection is over: the OS has released it and its variables.";
    s.predict = "Predict";
    s.predict_help = "Predict mode (P): the run stops before chosen events and asks the class what happens next";
    s.predict_question = "Question %zu of %zu";
    s.predict_vote = "The class votes, then press A–D (or click). Esc skips.";
    s.predict_right = "Right!";
    s.predict_wrong = "Not this one.";
    s.predict_skipped = "Skipped.";
    s.predict_go_on = "→ or Space: watch it happen.";
    s.predict_score = "Score: %zu right of %zu";
    s.predict_next = "Next question at step %zu: → or Space to go on.";
    s.predict_done = "Every question has been asked.";
    s.predict_none = "This run gives no question to predict.";
    s.time_sequence = "Graph";
    s.tsg_no_tcp = "No TCP connection in this run.";
    s.tsg_data = "data";
    s.tsg_resent = "resent";
    s.tsg_lost = "lost";
    s.tsg_ack = "ACK";
    s.tsg_window = "window";
    s.tsg_show_cwnd = "cwnd";
    s.tsg_reset = "Reset";
    s.tsg_help = "Mouse wheel: zoom; drag: pan; click a segment to select it.";
    s.mac_table = "MAC table";
    s.no_switch = "No switch in this run: every network is a shared segment.";
    s.switch_word = "switch";
    s.mac_table_help = "Each frame teaches the switch behind which port its source MAC is; an entry is forgotten 300 s after its last frame.";
    s.mac_table_empty = "Empty: the switch knows no address yet, so it floods every frame.";
    s.mac_col = "MAC address";
    s.port_col = "Port";
    s.host_col = "Host";
    s.learned_col = "Learned at";
    s.age_col = "Age";
    s.learned_now = "learned now";
    s.udp_sockets = "UDP sockets (no connection, no state)";
    s.no_udp = "No UDP socket yet.";
    s.socket_col = "Socket";
    s.sent = "sent";
    s.received = "received";
    s.lost = "lost";
    s.icmp_errors = "ICMP";
    s.udp_help = "UDP keeps no state: a datagram that is lost is simply never received, and nobody is told. ICMP: the errors that came back (port unreachable...).";
    return s;
}

Strings french() {
    Strings s = english();  // a string not yet translated shows in English
    s.topology = "Topologie";
    s.ladder = "Diagramme de séquence";
    s.page = "Page";
    s.captions_title = "Légendes";
    s.handout_saved = "Polycopié écrit : %s";
    s.export_handout = "Exporter le polycopié…";
    s.close = "Fermer";
    s.states = "États TCP (RFC 9293, figure 5)";
    s.variables = "Variables de connexion";
    s.hosts = "Hôtes";
    s.inspector = "Paquet";
    s.log = "Journal";
    s.play = "Lecture";
    s.pause = "Pause";
    s.first_step = "Première étape (Début)";
    s.last_step = "Dernière étape (Fin)";
    s.step_back = "Étape précédente (←)";
    s.step_forward = "Étape suivante (→)";
    s.prev_packet = "Paquet précédent (PgPréc)";
    s.next_packet = "Paquet suivant (PgSuiv)";
    s.prev_state = "Changement d’état précédent (↑)";
    s.next_state = "Changement d’état suivant (↓)";
    s.step = "étape";
    s.speed = "Vitesse";
    s.steps_per_second = "étapes/s";
    s.real_time = "temps réel";
    s.slow_motion = "ralenti";
    s.breakpoints = "Points d’arrêt";
    s.stop_on_state = "S’arrêter quand un socket passe en";
    s.stop_on_errors = "S’arrêter sur les erreurs et les pertes";
    s.open = "Ouvrir un scénario";
    s.reload = "Recharger (F5)";
    s.presenter = "Mode présentation (F2)";
    s.language = "Langue";
    s.screenshot_saved = "Capture enregistrée";
    s.keys_help = "Espace lecture/pause · ←/→ étape · PgPréc/PgSuiv paquet · ↑/↓ état · Début/Fin · P prédire, A–D répondre · F2 présentation · F12 capture";
    s.big_topology = "Topologie";
    s.big_sequence = "Séquence";
    s.big_states = "États";
    s.big_variables = "Variables";
    s.big_details = "Hôtes, paquet, journal, table MAC, graphe";
    s.big_terminal = "Terminal";
    s.terminal = "Terminal";
    s.terminal_host = "Hôte";
    s.terminal_running = "une commande tourne : ceci va à son entrée";
    s.terminal_help = "Entrée : exécuter la ligne à cette étape (le scénario est rejoué) · ↑/↓ historique · Ctrl-C, Ctrl-D · Ctrl+S enregistrer comme scénario";
    s.terminal_demo = "La trace de démonstration n’exécute pas de commandes : ouvrez un fichier de scénario.";
    s.terminal_rerunning = "le scénario est rejoué…";
    s.discard_later = "Taper ici efface les %d commandes tapées plus tard.";
    s.discard_later_one = "Taper ici efface la commande tapée plus tard.";
    s.save_scenario = "Enregistrer comme scénario…";
    s.save = "Enregistrer";
    s.cancel = "Annuler";
    s.ok = "OK";
    s.saved_to = "Enregistré dans";
    s.legend_data = "données";
    s.legend_ack = "ACK";
    s.legend_dropped = "perdu";
    s.router = "routeur";
    s.more_packets = "+%d autres paquets";
    s.no_packets = "Pas encore de paquets.";
    s.all_lifelines = "toutes les lignes de vie";
    s.what_if = "Et si…";
    s.drop_packet = "Perdre ce paquet";
    s.delay_packet = "Le retarder de 100 ms";
    s.duplicate_packet = "Le dupliquer";
    s.revert = "Revenir au scénario d’origine";
    s.modified = "modifié";
    s.no_connection = "Pas encore de connexion TCP.";
    s.end_a = "extrémité A";
    s.end_b = "extrémité B";
    s.variable = "Variable";
    s.not_armed = "inactif";
    s.fires_in = "expire dans";
    s.timers = "Temporisateurs";
    s.relative_seq = "seq. relatifs";
    s.send_queue = "file d’émission";
    s.recv_queue = "file de réception";
    s.retransmits = "retransmissions";
    s.delayed_ack = "ACK retardé";
    s.persist = "persistance";
    s.adapter = "Carte";
    s.ipv4_address = "Adresse IPv4";
    s.subnet_mask = "Masque de sous-réseau";
    s.default_gateway = "Passerelle par défaut";
    s.physical_address = "Adresse physique";
    s.proto = "Proto";
    s.local_address = "Adresse locale";
    s.foreign_address = "Adresse distante";
    s.state = "État";
    s.no_sockets = "aucun socket";
    s.closed = "fermé";
    s.select_packet = "Cliquez sur un paquet dans les diagrammes pour l’inspecter.";
    s.field = "Champ";
    s.value = "Valeur";
    s.bytes = "Octets";
    s.dropped_because = "Perdu :";
    s.journey = "Trajet de ce paquet";
    s.journey_lit = "en surbrillance : ce qui change à chaque saut";
    s.journey_help = "Un datagramme IP, saut par saut. En surbrillance : ce que change chaque routeur (une nouvelle trame Ethernet, le TTL diminué de un) ; les adresses IP restent. Cliquez sur un saut pour le sélectionner.";
    s.hop_col = "Saut";
    s.lost_here = "perdu ici";
    s.filter = "Filtre";
    s.packets = "paquets";
    s.state_changes = "états";
    s.timers_filter = "temporisateurs";
    s.calls = "appels";
    s.captions = "légendes";
    s.errors = "erreurs";
    s.scenario_error = "Le scénario n’a pas pu être exécuté";
    s.loading = "Exécution du scénario…";
    s.closed_help = "Le programme a appelé close() ; l’OS termine la connexion seul.";
    s.connection_gone = "La connexion est terminée : l’OS l’a libérée, avec ses variables.";
    s.predict = "Prédire";
    s.predict_help = "Mode prédiction (P) : l'exécution s'arrête avant certains événements et demande à la classe ce qui va se passer";
    s.predict_question = "Question %zu sur %zu";
    s.predict_vote = "La classe vote, puis appuyez sur A–D (ou cliquez). Échap passe.";
    s.predict_right = "Exact !";
    s.predict_wrong = "Pas celle-ci.";
    s.predict_skipped = "Question passée.";
    s.predict_go_on = "→ ou Espace : voir ce qui se passe.";
    s.predict_score = "Score : %zu juste(s) sur %zu";
    s.predict_next = "Prochaine question à l'étape %zu : → ou Espace pour continuer.";
    s.predict_done = "Toutes les questions ont été posées.";
    s.predict_none = "Cette exécution ne donne aucune question.";
    s.time_sequence = "Graphe";
    s.tsg_no_tcp = "Aucune connexion TCP dans cette simulation.";
    s.tsg_data = "données";
    s.tsg_resent = "renvoyé";
    s.tsg_lost = "perdu";
    s.tsg_ack = "ACK";
    s.tsg_window = "fenêtre";
    s.tsg_show_cwnd = "cwnd";
    s.tsg_reset = "Réinitialiser";
    s.tsg_help = "Molette : zoom ; glisser : déplacer ; clic sur un segment : le sélectionner.";
    s.mac_table = "Table MAC";
    s.no_switch = "Aucun switch dans cette simulation : chaque réseau est un segment partagé.";
    s.switch_word = "switch";
    s.mac_table_help = "Chaque trame apprend au switch derrière quel port se trouve sa MAC source ; une entrée est oubliée 300 s après sa dernière trame.";
    s.mac_table_empty = "Vide : le switch ne connaît encore aucune adresse, il inonde donc chaque trame.";
    s.mac_col = "Adresse MAC";
    s.port_col = "Port";
    s.host_col = "Hôte";
    s.learned_col = "Apprise à";
    s.age_col = "Âge";
    s.learned_now = "apprise maintenant";
    s.udp_sockets = "Sockets UDP (ni connexion, ni état)";
    s.no_udp = "Pas encore de socket UDP.";
    s.socket_col = "Socket";
    s.sent = "envoyés";
    s.received = "reçus";
    s.lost = "perdus";
    s.icmp_errors = "ICMP";
    s.udp_help = "UDP ne garde aucun état : un datagramme perdu n’est jamais reçu, et personne n’est prévenu. ICMP : les erreurs revenues (port injoignable...).";
    return s;
}

Strings italian() {
    Strings s = english();  // a string not yet translated shows in English
    s.topology = "Topologia";
    s.ladder = "Diagramma di sequenza";
    s.page = "Pagina";
    s.captions_title = "Didascalie";
    s.handout_saved = "Dispensa scritta: %s";
    s.export_handout = "Esporta dispensa…";
    s.close = "Chiudi";
    s.states = "Stati TCP (RFC 9293, figura 5)";
    s.variables = "Variabili di connessione";
    s.hosts = "Host";
    s.inspector = "Pacchetto";
    s.log = "Eventi";
    s.play = "Avvia";
    s.pause = "Pausa";
    s.first_step = "Primo passo (Inizio)";
    s.last_step = "Ultimo passo (Fine)";
    s.step_back = "Passo indietro (←)";
    s.step_forward = "Passo avanti (→)";
    s.prev_packet = "Pacchetto precedente (PagSu)";
    s.next_packet = "Pacchetto successivo (PagGiù)";
    s.prev_state = "Cambio di stato precedente (↑)";
    s.next_state = "Cambio di stato successivo (↓)";
    s.step = "passo";
    s.speed = "Velocità";
    s.steps_per_second = "passi/s";
    s.real_time = "tempo reale";
    s.slow_motion = "rallentatore";
    s.breakpoints = "Punti di arresto";
    s.stop_on_state = "Fermati quando un socket entra in";
    s.stop_on_errors = "Fermati su errori e perdite";
    s.open = "Apri scenario";
    s.reload = "Ricarica (F5)";
    s.presenter = "Modalità presentazione (F2)";
    s.language = "Lingua";
    s.screenshot_saved = "Schermata salvata";
    s.keys_help = "Spazio avvia/pausa · ←/→ passo · PagSu/PagGiù pacchetto · ↑/↓ stato · Inizio/Fine · P prevedi, A–D rispondi · F2 presentazione · F12 schermata";
    s.big_topology = "Topologia";
    s.big_sequence = "Sequenza";
    s.big_states = "Stati";
    s.big_variables = "Variabili";
    s.big_details = "Host, pacchetto, registro, tabella MAC, grafico";
    s.big_terminal = "Terminale";
    s.terminal = "Terminale";
    s.terminal_host = "Host";
    s.terminal_running = "un comando è in esecuzione: questo va al suo input";
    s.terminal_help = "Invio: esegui la riga a questo passo (lo scenario viene rieseguito) · ↑/↓ cronologia · Ctrl-C, Ctrl-D · Ctrl+S salva come scenario";
    s.terminal_demo = "La traccia dimostrativa non esegue comandi: apri un file di scenario.";
    s.terminal_rerunning = "lo scenario viene rieseguito…";
    s.discard_later = "Digitare qui elimina i %d comandi digitati dopo.";
    s.discard_later_one = "Digitare qui elimina il comando digitato dopo.";
    s.save_scenario = "Salva come scenario…";
    s.save = "Salva";
    s.cancel = "Annulla";
    s.ok = "OK";
    s.saved_to = "Salvato in";
    s.legend_data = "dati";
    s.legend_ack = "ACK";
    s.legend_dropped = "perso";
    s.router = "router";
    s.more_packets = "+%d altri pacchetti";
    s.no_packets = "Ancora nessun pacchetto.";
    s.all_lifelines = "tutte le linee di vita";
    s.what_if = "E se…";
    s.drop_packet = "Perdi questo pacchetto";
    s.delay_packet = "Ritardalo di 100 ms";
    s.duplicate_packet = "Duplicalo";
    s.revert = "Torna allo scenario originale";
    s.modified = "modificato";
    s.no_connection = "Ancora nessuna connessione TCP.";
    s.end_a = "estremità A";
    s.end_b = "estremità B";
    s.variable = "Variabile";
    s.not_armed = "non attivo";
    s.fires_in = "scade tra";
    s.timers = "Timer";
    s.relative_seq = "seq. relativi";
    s.send_queue = "coda di invio";
    s.recv_queue = "coda di ricezione";
    s.retransmits = "ritrasmissioni";
    s.delayed_ack = "ACK ritardato";
    s.persist = "persistenza";
    s.adapter = "Scheda";
    s.ipv4_address = "Indirizzo IPv4";
    s.subnet_mask = "Subnet mask";
    s.default_gateway = "Gateway predefinito";
    s.physical_address = "Indirizzo fisico";
    s.proto = "Proto";
    s.local_address = "Indirizzo locale";
    s.foreign_address = "Indirizzo remoto";
    s.state = "Stato";
    s.no_sockets = "nessun socket";
    s.closed = "chiuso";
    s.select_packet = "Fai clic su un pacchetto nei diagrammi per esaminarlo.";
    s.field = "Campo";
    s.value = "Valore";
    s.bytes = "Byte";
    s.dropped_because = "Perso:";
    s.journey = "Percorso di questo pacchetto";
    s.journey_lit = "evidenziato: ciò che cambia a ogni salto";
    s.journey_help = "Un datagramma IP, salto per salto. Evidenziato: ciò che ogni router cambia (un nuovo frame Ethernet, il TTL diminuito di uno); gli indirizzi IP restano. Fai clic su un salto per selezionarlo.";
    s.hop_col = "Salto";
    s.lost_here = "perso qui";
    s.filter = "Filtro";
    s.packets = "pacchetti";
    s.state_changes = "stati";
    s.timers_filter = "timer";
    s.calls = "chiamate";
    s.captions = "didascalie";
    s.errors = "errori";
    s.scenario_error = "Impossibile eseguire lo scenario";
    s.loading = "Esecuzione dello scenario…";
    s.closed_help = "Il programma ha chiamato close(); il sistema operativo chiude la connessione da solo.";
    s.connection_gone = "La connessione è terminata: il sistema operativo l’ha rilasciata, con le sue variabili.";
    s.predict = "Prevedi";
    s.predict_help = "Modalità previsione (P): l'esecuzione si ferma prima di alcuni eventi e chiede alla classe cosa succede";
    s.predict_question = "Domanda %zu di %zu";
    s.predict_vote = "La classe vota, poi premi A–D (o fai clic). Esc salta.";
    s.predict_right = "Esatto!";
    s.predict_wrong = "Non questa.";
    s.predict_skipped = "Domanda saltata.";
    s.predict_go_on = "→ o Spazio: guarda cosa succede.";
    s.predict_score = "Punteggio: %zu giuste su %zu";
    s.predict_next = "Prossima domanda al passo %zu: → o Spazio per continuare.";
    s.predict_done = "Tutte le domande sono state poste.";
    s.predict_none = "Questa esecuzione non dà domande.";
    s.time_sequence = "Grafico";
    s.tsg_no_tcp = "Nessuna connessione TCP in questa simulazione.";
    s.tsg_data = "dati";
    s.tsg_resent = "ritrasmesso";
    s.tsg_lost = "perso";
    s.tsg_ack = "ACK";
    s.tsg_window = "finestra";
    s.tsg_show_cwnd = "cwnd";
    s.tsg_reset = "Ripristina";
    s.tsg_help = "Rotellina: zoom; trascinare: spostare; clic su un segmento: selezionarlo.";
    s.mac_table = "Tabella MAC";
    s.no_switch = "Nessuno switch in questa simulazione: ogni rete è un segmento condiviso.";
    s.switch_word = "switch";
    s.mac_table_help = "Ogni frame insegna allo switch dietro quale porta si trova il suo MAC sorgente; una voce viene dimenticata 300 s dopo il suo ultimo frame.";
    s.mac_table_empty = "Vuota: lo switch non conosce ancora alcun indirizzo, quindi inonda ogni frame.";
    s.mac_col = "Indirizzo MAC";
    s.port_col = "Porta";
    s.host_col = "Host";
    s.learned_col = "Appreso a";
    s.age_col = "Età";
    s.learned_now = "appreso ora";
    s.udp_sockets = "Socket UDP (nessuna connessione, nessuno stato)";
    s.no_udp = "Ancora nessun socket UDP.";
    s.socket_col = "Socket";
    s.sent = "inviati";
    s.received = "ricevuti";
    s.lost = "persi";
    s.icmp_errors = "ICMP";
    s.udp_help = "UDP non tiene stato: un datagramma perso non viene mai ricevuto, e nessuno lo sa. ICMP: gli errori tornati indietro (porta irraggiungibile...).";
    return s;
}

// State-change causes, keyed by the trace's English text. Flag names (SYN, FIN+ACK) and call
// names (close, connect) stay as they are: students meet them so in the RFC and in their code.
struct Cause {
    const char* en;
    const char* fr;
    const char* it;
};
constexpr Cause kCauses[] = {
    {"close", "close (fermeture)", "close (chiusura)"},
    {"connect", "connect (ouverture active)", "connect (apertura attiva)"},
    {"listen", "listen (ouverture passive)", "listen (apertura passiva)"},
    {"shutdown", "shutdown (fin d’émission)", "shutdown (fine invio)"},
    {"abort", "abandon (abort)", "interruzione (abort)"},
    {"2MSL timeout", "expiration de 2MSL", "scadenza di 2MSL"},
    {"retransmission timeout", "délai de retransmission expiré", "timeout di ritrasmissione"},
    {"rcv data after close", "reçu des données après close", "ricevuti dati dopo close"},
    {"rcv ACK of FIN", "reçu l’ACK du FIN", "ricevuto l’ACK del FIN"},
    {"rcv ACK of SYN", "reçu l’ACK du SYN", "ricevuto l’ACK del SYN"},
};

// One piece of a cause: the table, else "rcv X" / "snd X" with X a flag set.
std::string translate_piece(std::string_view piece, Language lang) {
    for (const Cause& c : kCauses)
        if (piece == c.en) return lang == Language::Fr ? c.fr : c.it;
    for (auto [en, fr, it] : {Cause{"rcv ", "reçu ", "ricevuto "}, Cause{"snd ", "envoi ", "invio "}}) {
        if (piece.substr(0, 4) == en) return std::string(lang == Language::Fr ? fr : it) + std::string(piece.substr(4));
    }
    return std::string(piece);
}

}  // namespace

std::string translate_cause(std::string_view cause, Language lang) {
    if (lang == Language::En) return std::string(cause);
    std::string out;  // "rcv SYN, snd SYN+ACK": each piece on its own
    for (size_t at = 0; at <= cause.size();) {
        size_t comma = cause.find(", ", at);
        std::string_view piece = cause.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
        out += translate_piece(piece, lang);
        if (comma == std::string_view::npos) break;
        out += ", ";
        at = comma + 2;
    }
    return out;
}

Strings strings_for(Language lang) {
    switch (lang) {
        case Language::Fr: return french();
        case Language::It: return italian();
        case Language::En: break;
    }
    return english();
}

Language language_from(std::string_view code) {
    if (code.substr(0, 2) == "fr") return Language::Fr;
    if (code.substr(0, 2) == "it") return Language::It;
    return Language::En;
}

const char* language_code(Language lang) {
    switch (lang) {
        case Language::Fr: return "fr";
        case Language::It: return "it";
        case Language::En: break;
    }
    return "en";
}

}  // namespace netstep::viz
