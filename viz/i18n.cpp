// The string tables. French and Italian need DejaVu Sans (é, à, œ, arrows): see fonts in app.cpp.
#include "viz/i18n.hpp"

namespace netstep::viz {

namespace {

Strings english() {
    return Strings{
        "Topology", "Sequence diagram", "TCP states (RFC 9293, Figure 5)", "Connection variables",
        "Hosts", "Packet", "Event log",
        "Play", "Pause", "First step (Home)", "Last step (End)", "Step back (←)", "Step forward (→)",
        "Previous packet (PgUp)", "Next packet (PgDn)", "Previous state change (↑)", "Next state change (↓)",
        "step", "Speed", "steps/s", "real time", "slow motion", "Breakpoints", "Stop when a socket enters",
        "Stop on errors and drops", "Open scenario", "Reload (F5)", "Presenter mode (F2)", "Language",
        "Screenshot saved", "Space play/pause · ←/→ step · PgUp/PgDn packet · ↑/↓ state · Home/End · F2 presenter · F12 screenshot",
        "Topology", "Sequence", "States", "Variables", "Hosts, packet, log",
        "data", "ACK", "dropped", "router", "+%d more packets",
        "No packets yet.", "all lifelines", "What if…", "Drop this packet", "Delay it by 100 ms", "Duplicate it",
        "Back to the original scenario", "modified",
        "No TCP connection yet.", "end A", "end B", "Variable", "not armed", "fires in", "Timers",
        "relative seq.", "send queue", "receive queue", "retransmissions", "delayed ACK", "persist",
        "Adapter", "IPv4 address", "Subnet mask", "Default gateway", "Proto", "Local address",
        "Foreign address", "State", "no sockets", "closed",
        "Click a packet in the diagrams to inspect it.", "Field", "Value", "Bytes", "Dropped:",
        "Filter", "packets", "states", "timers", "calls", "captions", "errors",
        "The scenario could not be run", "Running the scenario…",
    };
}

Strings french() {
    return Strings{
        "Topologie", "Diagramme de séquence", "États TCP (RFC 9293, figure 5)", "Variables de connexion",
        "Hôtes", "Paquet", "Journal des événements",
        "Lecture", "Pause", "Première étape (Début)", "Dernière étape (Fin)", "Étape précédente (←)",
        "Étape suivante (→)", "Paquet précédent (PgPréc)", "Paquet suivant (PgSuiv)",
        "Changement d’état précédent (↑)", "Changement d’état suivant (↓)",
        "étape", "Vitesse", "étapes/s", "temps réel", "ralenti", "Points d’arrêt", "S’arrêter quand un socket passe en",
        "S’arrêter sur les erreurs et les pertes", "Ouvrir un scénario", "Recharger (F5)", "Mode présentation (F2)",
        "Langue", "Capture enregistrée",
        "Espace lecture/pause · ←/→ étape · PgPréc/PgSuiv paquet · ↑/↓ état · Début/Fin · F2 présentation · F12 capture",
        "Topologie", "Séquence", "États", "Variables", "Hôtes, paquet, journal",
        "données", "ACK", "perdu", "routeur", "+%d autres paquets",
        "Pas encore de paquets.", "toutes les lignes de vie", "Et si…", "Perdre ce paquet", "Le retarder de 100 ms", "Le dupliquer",
        "Revenir au scénario d’origine", "modifié",
        "Pas encore de connexion TCP.", "extrémité A", "extrémité B", "Variable", "inactif", "expire dans", "Temporisateurs",
        "seq. relatifs", "file d’émission", "file de réception", "retransmissions", "ACK retardé", "persistance",
        "Carte", "Adresse IPv4", "Masque de sous-réseau", "Passerelle par défaut", "Proto", "Adresse locale",
        "Adresse distante", "État", "aucun socket", "fermé",
        "Cliquez sur un paquet dans les diagrammes pour l’inspecter.", "Champ", "Valeur", "Octets", "Perdu :",
        "Filtre", "paquets", "états", "temporisateurs", "appels", "légendes", "erreurs",
        "Le scénario n’a pas pu être exécuté", "Exécution du scénario…",
    };
}

Strings italian() {
    return Strings{
        "Topologia", "Diagramma di sequenza", "Stati TCP (RFC 9293, figura 5)", "Variabili di connessione",
        "Host", "Pacchetto", "Registro degli eventi",
        "Avvia", "Pausa", "Primo passo (Inizio)", "Ultimo passo (Fine)", "Passo indietro (←)", "Passo avanti (→)",
        "Pacchetto precedente (PagSu)", "Pacchetto successivo (PagGiù)", "Cambio di stato precedente (↑)",
        "Cambio di stato successivo (↓)",
        "passo", "Velocità", "passi/s", "tempo reale", "rallentatore", "Punti di arresto", "Fermati quando un socket entra in",
        "Fermati su errori e perdite", "Apri scenario", "Ricarica (F5)", "Modalità presentazione (F2)", "Lingua",
        "Schermata salvata",
        "Spazio avvia/pausa · ←/→ passo · PagSu/PagGiù pacchetto · ↑/↓ stato · Inizio/Fine · F2 presentazione · F12 schermata",
        "Topologia", "Sequenza", "Stati", "Variabili", "Host, pacchetto, registro",
        "dati", "ACK", "perso", "router", "+%d altri pacchetti",
        "Ancora nessun pacchetto.", "tutte le linee di vita", "E se…", "Perdi questo pacchetto", "Ritardalo di 100 ms", "Duplicalo",
        "Torna allo scenario originale", "modificato",
        "Ancora nessuna connessione TCP.", "estremità A", "estremità B", "Variabile", "non attivo", "scade tra", "Timer",
        "seq. relativi", "coda di invio", "coda di ricezione", "ritrasmissioni", "ACK ritardato", "persistenza",
        "Scheda", "Indirizzo IPv4", "Subnet mask", "Gateway predefinito", "Proto", "Indirizzo locale",
        "Indirizzo remoto", "Stato", "nessun socket", "chiuso",
        "Fai clic su un pacchetto nei diagrammi per esaminarlo.", "Campo", "Valore", "Byte", "Perso:",
        "Filtro", "pacchetti", "stati", "timer", "chiamate", "didascalie", "errori",
        "Impossibile eseguire lo scenario", "Esecuzione dello scenario…",
    };
}

}  // namespace

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
