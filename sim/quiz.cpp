// Questions generated from a trace (sim/quiz.hpp).
#include "sim/quiz.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "model/profile.hpp"
#include "model/wire/wire.hpp"
#include "sim/relative_seq.hpp"
#include "sim/trace_index.hpp"

namespace netstep::sim::quiz {

std::string_view to_string(Kind kind) {
    switch (kind) {
        case Kind::NextFlags: return "next_flags";
        case Kind::Ack: return "ack";
        case Kind::Seq: return "seq";
        case Kind::NextState: return "next_state";
        case Kind::LocalPort: return "local_port";
        case Kind::DatagramArrives: return "datagram_arrives";
        case Kind::IcmpMessage: return "icmp_message";
        case Kind::Ttl: return "ttl";
        case Kind::ArpRequest: return "arp_request";
        case Kind::ArpTarget: return "arp_target";
        case Kind::Free: return "free";
    }
    return "?";
}

namespace {

// A packet's transport header, decoded once by the one decoder (model/wire).
struct Segment {
    bool tcp = false, udp = false, icmp = false;
    uint8_t ttl = 0;            // the IP header's, as sent on this hop
    uint8_t type = 0, code = 0; // ICMP
    Endpoint src, dst;
    uint8_t flags = 0;
    uint32_t seq = 0, ack = 0;  // relative to each direction's ISN
    uint32_t len = 0;           // payload bytes
    bool shifted = false;       // an ISN of the connection is not 0: the raw numbers differ
    bool has(uint8_t f) const { return (flags & f) == f; }
};

// Every packet decoded; TCP numbers relative to each direction's ISN (sim/relative_seq.hpp).
std::vector<Segment> decode(const Trace& trace) {
    std::vector<Segment> segments(trace.packets.size());
    RelativeSeq relative;
    for (size_t i = 0; i < trace.packets.size(); ++i) {
        if (trace.arp(trace.packets[i])) continue;
        wire::ParseResult parsed = wire::parse(trace.ip_bytes(trace.packets[i]));
        if (!parsed.ok()) continue;
        Segment& s = segments[i];
        s.ttl = parsed.packet->ttl;
        if (const IcmpMessage* icmp = parsed.packet->icmp()) {
            s.icmp = true;
            s.src = {parsed.packet->src, 0};
            s.dst = {parsed.packet->dst, 0};
            s.type = icmp->type;
            s.code = icmp->code;
        }
        if (const TcpSegment* tcp = parsed.packet->tcp()) {
            s.tcp = true;
            s.src = {parsed.packet->src, tcp->src_port};
            s.dst = {parsed.packet->dst, tcp->dst_port};
            s.flags = tcp->flags;
            s.seq = tcp->seq.value;
            s.ack = tcp->ack.value;
            s.len = uint32_t(tcp->payload.size());
            relative.see(s.src, s.dst, tcp->has(tcp_flag::SYN), s.seq);
        } else if (const UdpDatagram* udp = parsed.packet->udp()) {
            s.udp = true;
            s.src = {parsed.packet->src, udp->src_port};
            s.dst = {parsed.packet->dst, udp->dst_port};
            s.len = uint32_t(udp->payload.size());
        }
    }
    for (Segment& s : segments) {
        if (!s.tcp) continue;
        s.shifted = relative.isn(s.src, s.dst).value_or(0) != 0 || relative.isn(s.dst, s.src).value_or(0) != 0;
        s.ack = relative.ack(s.src, s.dst, s.ack);
        s.seq = relative.seq(s.src, s.dst, s.seq);
    }
    return segments;
}

// The fixed texts of the generated prompts in French and Italian ({0}, {1}...: the names put in);
// English is the key (prompts, choices and explanations; protocol names stay as the RFCs write them).
struct Translation {
    std::string_view en, fr, it;
};
constexpr Translation kTexts[] = {
    {"What does {0} send to {1} now?", "Qu'envoie {0} à {1} maintenant ?", "Cosa invia {0} a {1} adesso?"},
    {"Which state does {0} enter now?", "Dans quel état entre {0} maintenant ?", "In quale stato entra {0} adesso?"},
    {"{0} connects to {1}. Which local port will the OS pick?", "{0} se connecte à {1}. Quel port local l'OS choisira-t-il ?",
     "{0} si connette a {1}. Quale porta locale sceglierà il sistema operativo?"},
    {"{0} sends a datagram to {1}. Does the datagram arrive?", "{0} envoie un datagramme à {1}. Le datagramme arrive-t-il ?",
     "{0} invia un datagramma a {1}. Il datagramma arriva?"},
    {"Yes, it arrives", "Oui, il arrive", "Sì, arriva"},
    {"No, it is lost", "Non, il est perdu", "No, va perso"},
    {"{0} sends {1} to {2}. What is its ack number?", "{0} envoie {1} à {2}. Quel est son numéro d'acquittement ?",
     "{0} invia {1} a {2}. Qual è il suo numero di riscontro?"},
    {"{0} sends {1} to {2}. What is its sequence number?", "{0} envoie {1} à {2}. Quel est son numéro de séquence ?",
     "{0} invia {1} a {2}. Qual è il suo numero di sequenza?"},
    {"What does {0} send back to {1}?", "Que renvoie {0} à {1} ?", "Cosa rimanda {0} a {1}?"},
    {"{0} forwards a packet from {1} to {2}. What TTL does it carry now?",
     "{0} relaie un paquet de {1} vers {2}. Quel TTL porte-t-il maintenant ?",
     "{0} inoltra un pacchetto da {1} a {2}. Quale TTL porta adesso?"},
    {"{0} traces the route to {1}. What TTL does its next probe carry?",
     "{0} trace la route vers {1}. Quel TTL porte sa sonde suivante ?",
     "{0} traccia il percorso verso {1}. Quale TTL porta la sua prossima sonda?"},
    {"{0} must send a packet to {1} and has no MAC address for it. What does it send first?",
     "{0} doit envoyer un paquet à {1} et n'a pas son adresse MAC. Qu'envoie-t-il d'abord ?",
     "{0} deve inviare un pacchetto a {1} e non ne conosce l'indirizzo MAC. Cosa invia per primo?"},
    {"An ARP request to every host (broadcast)", "Une requête ARP à tous les hôtes (diffusion)",
     "Una richiesta ARP a tutti gli host (broadcast)"},
    {"An ARP request to {0} only", "Une requête ARP à {0} seulement", "Una richiesta ARP solo a {0}"},
    {"The packet itself, to every host", "Le paquet lui-même, à tous les hôtes", "Il pacchetto stesso, a tutti gli host"},
    {"An ICMP echo request to {0}", "Une requête d'écho ICMP à {0}", "Una richiesta di eco ICMP a {0}"},
    {"{0} has a packet for {1}. Whose MAC address does its ARP request ask for?",
     "{0} a un paquet pour {1}. De qui sa requête ARP demande-t-elle l'adresse MAC ?",
     "{0} ha un pacchetto per {1}. Di chi chiede l'indirizzo MAC la sua richiesta ARP?"},
    // `netstep quiz` in a terminal (sim/main.cpp, through quiz::text).
    {"netstep quiz: {0} (answer key, {1} questions)",
     "netstep quiz : {0} (corrigé, {1} questions)",
     "netstep quiz: {0} (soluzioni, {1} domande)"},
    {"Question {0}/{1} (before step {2}, at {3} s)",
     "Question {0}/{1} (avant l'étape {2}, à {3} s)",
     "Domanda {0}/{1} (prima del passo {2}, a {3} s)"},
    {"Question {0}/{1} (before step {2})",
     "Question {0}/{1} (avant l'étape {2})",
     "Domanda {0}/{1} (prima del passo {2})"},
    {"Why: {0}",
     "Pourquoi : {0}",
     "Perché: {0}"},
    {"{0} question: predict what happens next. Answer each with its letter, then Enter.",
     "{0} question : prédisez ce qui se passe ensuite. Répondez par la lettre, puis Entrée.",
     "{0} domanda: prevedi che cosa succede dopo. Rispondi con la lettera, poi Invio."},
    {"{0} questions: predict what happens next. Answer each with its letter, then Enter.",
     "{0} questions : prédisez ce qui se passe ensuite. Répondez à chacune par sa lettre, puis Entrée.",
     "{0} domande: prevedi che cosa succede dopo. Rispondi a ciascuna con la sua lettera, poi Invio."},
    {"Your answer (A-{0}): ",
     "Votre réponse (A-{0}) : ",
     "La tua risposta (A-{0}): "},
    {"'{0}' is not a choice: answer with one letter from A to {1}.",
     "« {0} » n'est pas un choix : répondez par une lettre de A à {1}.",
     "«{0}» non è una scelta: rispondi con una lettera da A a {1}."},
    {"End of input: the quiz stops here.",
     "Fin de l'entrée : le quiz s'arrête ici.",
     "Fine dell'input: il quiz si ferma qui."},
    {"No valid answer after {0} tries: counted as wrong. The answer is {1}.",
     "Pas de réponse valable après {0} essais : comptée fausse. La réponse est {1}.",
     "Nessuna risposta valida dopo {0} tentativi: contata come sbagliata. La risposta è {1}."},
    {"Right.",
     "Juste.",
     "Giusto."},
    {"Wrong: the answer is {0}.",
     "Faux : la réponse est {0}.",
     "Sbagliato: la risposta è {0}."},
    {"Score: {0}/{1}",
     "Score : {0}/{1}",
     "Punteggio: {0}/{1}"},
    {" ({0} of {1} questions answered)",
     " ({0} questions sur {1} répondues)",
     " ({0} domande su {1} con risposta)"},
    // The explanations: the rule, with its RFC section.
    {"RFC 792 (Echo or Echo Reply Message): the destination answers an echo request (type 8) with an echo reply (type 0) carrying the same identifier, sequence number and data; ping times the round trip.",
     "RFC 792 (Echo or Echo Reply Message) : la destination répond à une demande d'écho (type 8) par une réponse d'écho (type 0) qui porte le même identifiant, le même numéro de séquence et les mêmes données ; ping mesure l'aller-retour.",
     "RFC 792 (Echo or Echo Reply Message): la destinazione risponde a una richiesta di eco (tipo 8) con una risposta di eco (tipo 0) con lo stesso identificatore, lo stesso numero di sequenza e gli stessi dati; ping misura il tempo di andata e ritorno."},
    {"RFC 1812 §5.3.1 and RFC 792: a router lowers the TTL of every packet it forwards by one; when it reaches 0 the router discards the packet and tells the source with Time Exceeded (type 11, code 0), quoting the start of the packet. tracert sends TTL 1, 2, 3... to make each router on the way answer.",
     "RFC 1812 §5.3.1 et RFC 792 : un routeur diminue de un le TTL de chaque paquet qu'il relaie ; quand il atteint 0, le routeur jette le paquet et prévient la source par un Time Exceeded (type 11, code 0) qui cite le début du paquet. tracert envoie des TTL 1, 2, 3... pour faire répondre chaque routeur du chemin.",
     "RFC 1812 §5.3.1 e RFC 792: un router diminuisce di uno il TTL di ogni pacchetto che inoltra; quando arriva a 0 il router scarta il pacchetto e avvisa la sorgente con un Time Exceeded (tipo 11, codice 0) che cita l'inizio del pacchetto. tracert invia TTL 1, 2, 3... per far rispondere ogni router lungo il percorso."},
    {"RFC 1122 §3.2.2.1 and §4.1.3.1, RFC 792: a UDP datagram to a port where no program listens is answered with Destination Unreachable, code 3 (port unreachable): UDP's counterpart of TCP's RST.",
     "RFC 1122 §3.2.2.1 et §4.1.3.1, RFC 792 : un datagramme UDP vers un port où aucun programme n'écoute reçoit en réponse un Destination Unreachable, code 3 (port injoignable) : l'équivalent pour UDP du RST de TCP.",
     "RFC 1122 §3.2.2.1 e §4.1.3.1, RFC 792: a un datagramma UDP verso una porta dove nessun programma è in ascolto si risponde con Destination Unreachable, codice 3 (porta irraggiungibile): l'equivalente per UDP dell'RST di TCP."},
    {"RFC 1812 §5.2.7.1 and RFC 792: the last router could not reach the destination host on its network (no answer to its ARP requests): Destination Unreachable, code 1 (host unreachable).",
     "RFC 1812 §5.2.7.1 et RFC 792 : le dernier routeur n'a pas pu joindre l'hôte de destination sur son réseau (aucune réponse à ses requêtes ARP) : Destination Unreachable, code 1 (hôte injoignable).",
     "RFC 1812 §5.2.7.1 e RFC 792: l'ultimo router non ha potuto raggiungere l'host di destinazione sulla sua rete (nessuna risposta alle sue richieste ARP): Destination Unreachable, codice 1 (host irraggiungibile)."},
    {"RFC 1812 §5.2.7.1 and RFC 792: the router has no route to the destination's network: Destination Unreachable, code 0 (net unreachable).",
     "RFC 1812 §5.2.7.1 et RFC 792 : le routeur n'a pas de route vers le réseau de destination : Destination Unreachable, code 0 (réseau injoignable).",
     "RFC 1812 §5.2.7.1 e RFC 792: il router non ha una rotta verso la rete di destinazione: Destination Unreachable, codice 0 (rete irraggiungibile)."},
    {"RFC 1812 §5.3.1 (RFC 791): a router lowers the TTL of each packet it forwards by one: it arrived with {0} and leaves with {1}. At 0 the packet is dropped: a packet caught in a loop cannot circulate forever.",
     "RFC 1812 §5.3.1 (RFC 791) : un routeur diminue de un le TTL de chaque paquet qu'il relaie : il est arrivé avec {0} et repart avec {1}. À 0 le paquet est jeté : un paquet pris dans une boucle ne peut pas circuler sans fin.",
     "RFC 1812 §5.3.1 (RFC 791): un router diminuisce di uno il TTL di ogni pacchetto che inoltra: è arrivato con {0} e riparte con {1}. A 0 il pacchetto viene scartato: un pacchetto preso in un ciclo non può circolare all'infinito."},
    {"tracert sends echo requests with TTL 1, then 2, then 3...: the probe with TTL {0} expires at router number {0}, which answers with Time Exceeded (RFC 1812 §5.3.1, RFC 792), and so names itself.",
     "tracert envoie des demandes d'écho de TTL 1, puis 2, puis 3... : la sonde de TTL {0} expire au routeur numéro {0}, qui répond par un Time Exceeded (RFC 1812 §5.3.1, RFC 792) et se fait ainsi connaître.",
     "tracert invia richieste di eco con TTL 1, poi 2, poi 3...: la sonda con TTL {0} scade al router numero {0}, che risponde con un Time Exceeded (RFC 1812 §5.3.1, RFC 792) e così si fa conoscere."},
    {"traceroute sends UDP datagrams with TTL 1, then 2, then 3...: the probe with TTL {0} expires at router number {0}, which answers with Time Exceeded (RFC 1812 §5.3.1, RFC 792), and so names itself.",
     "traceroute envoie des datagrammes UDP de TTL 1, puis 2, puis 3... : la sonde de TTL {0} expire au routeur numéro {0}, qui répond par un Time Exceeded (RFC 1812 §5.3.1, RFC 792) et se fait ainsi connaître.",
     "traceroute invia datagrammi UDP con TTL 1, poi 2, poi 3...: la sonda con TTL {0} scade al router numero {0}, che risponde con un Time Exceeded (RFC 1812 §5.3.1, RFC 792) e così si fa conoscere."},
    {"RFC 826: a frame needs the receiver's MAC address. Not knowing it, {0} broadcasts an ARP request (to ff:ff:ff:ff:ff:ff) \"who has {1}?\"; every host on the network reads it, only the owner answers, by unicast. The packet waits meanwhile.",
     "RFC 826 : une trame a besoin de l'adresse MAC du destinataire. Ne la connaissant pas, {0} diffuse une requête ARP (vers ff:ff:ff:ff:ff:ff) « qui a {1} ? » ; tous les hôtes du réseau la lisent, seul le propriétaire répond, en unicast. Le paquet attend pendant ce temps.",
     "RFC 826: un frame ha bisogno dell'indirizzo MAC del destinatario. Non conoscendolo, {0} invia in broadcast una richiesta ARP (a ff:ff:ff:ff:ff:ff) «chi ha {1}?»; tutti gli host della rete la leggono, risponde solo il proprietario, in unicast. Nel frattempo il pacchetto aspetta."},
    {"RFC 1122 §3.3.1 and RFC 826: {0} is not on {1}'s own subnet, so the frame goes to the default gateway, {2}: ARP asks for its MAC address, never for {0} (the IP header keeps the final destination; only the frame changes at each hop).",
     "RFC 1122 §3.3.1 et RFC 826 : {0} n'est pas sur le sous-réseau de {1}, la trame va donc à la passerelle par défaut, {2} : ARP demande son adresse MAC, jamais celle de {0} (l'en-tête IP garde la destination finale ; seule la trame change à chaque saut).",
     "RFC 1122 §3.3.1 e RFC 826: {0} non è nella sottorete di {1}, quindi il frame va al gateway predefinito, {2}: ARP chiede il suo indirizzo MAC, mai quello di {0} (l'intestazione IP conserva la destinazione finale; a ogni salto cambia solo il frame)."},
    {"RFC 1812 §5.2.1 and RFC 826: {0} is not on a network of {1}, so the frame goes to the next router on the route, {2}: ARP asks for its MAC address, never for {0} (the IP header keeps the final destination; only the frame changes at each hop).",
     "RFC 1812 §5.2.1 et RFC 826 : {0} n'est sur aucun réseau de {1}, la trame va donc au routeur suivant sur la route, {2} : ARP demande son adresse MAC, jamais celle de {0} (l'en-tête IP garde la destination finale ; seule la trame change à chaque saut).",
     "RFC 1812 §5.2.1 e RFC 826: {0} non è su nessuna rete di {1}, quindi il frame va al router successivo lungo il percorso, {2}: ARP chiede il suo indirizzo MAC, mai quello di {0} (l'intestazione IP conserva la destinazione finale; a ogni salto cambia solo il frame)."},
    {"RFC 9293 §3.3.2 (Figure 5): {0} -> {1} on {2}.",
     "RFC 9293 §3.3.2 (figure 5) : {0} -> {1} sur {2}.",
     "RFC 9293 §3.3.2 (figura 5): {0} -> {1} su {2}."},
    {"The OS gives the client a free ephemeral port: Linux takes it from ip_local_port_range, {0} (RFC 6335 §6 advises 49152-65535). {1} is the server's port, which connect() names.",
     "L'OS donne au client un port éphémère libre : Linux le prend dans ip_local_port_range, {0} (la RFC 6335 §6 conseille 49152-65535). {1} est le port du serveur, celui que connect() nomme.",
     "Il sistema operativo dà al client una porta effimera libera: Linux la prende da ip_local_port_range, {0} (la RFC 6335 §6 consiglia 49152-65535). {1} è la porta del server, quella che connect() nomina."},
    {"The OS gives the client a free ephemeral port: the IANA range {0} (RFC 6335 §6). {1} is the server's port, which connect() names.",
     "L'OS donne au client un port éphémère libre : dans la plage de l'IANA {0} (RFC 6335 §6). {1} est le port du serveur, celui que connect() nomme.",
     "Il sistema operativo dà al client una porta effimera libera: nell'intervallo IANA {0} (RFC 6335 §6). {1} è la porta del server, quella che connect() nomina."},
    {"UDP has no acknowledgement (RFC 768): the datagram is lost ({0}) and nobody is told; only the application can notice (a timeout) and send again.",
     "UDP n'a pas d'acquittement (RFC 768) : le datagramme est perdu ({0}) et personne n'est prévenu ; seule l'application peut s'en apercevoir (un délai) et renvoyer.",
     "UDP non ha riscontri (RFC 768): il datagramma va perso ({0}) e nessuno viene avvisato; solo l'applicazione può accorgersene (un timeout) e inviarlo di nuovo."},
    {"It arrives: UDP (RFC 768) sends each datagram once, with no acknowledgement; this one was not lost on the way.",
     "Il arrive : UDP (RFC 768) envoie chaque datagramme une fois, sans acquittement ; celui-ci ne s'est pas perdu en route.",
     "Arriva: UDP (RFC 768) invia ogni datagramma una volta, senza riscontro; questo non si è perso per strada."},
    {" (Numbers relative to each side's ISN, as the viewer shows them.)",
     " (Numéros relatifs à l'ISN de chaque côté, comme le visualiseur les montre.)",
     " (Numeri relativi all'ISN di ciascun lato, come li mostra il visualizzatore.)"},
    {"RFC 9293 §3.5.2: a reset answers a segment that belongs to no connection (a port nobody listens on), or aborts one (abort, close with unread data); nobody acknowledges it.",
     "RFC 9293 §3.5.2 : un reset répond à un segment qui n'appartient à aucune connexion (un port où personne n'écoute), ou en interrompt une (abort, close avec des données non lues) ; personne ne l'acquitte.",
     "RFC 9293 §3.5.2: un reset risponde a un segmento che non appartiene a nessuna connessione (una porta dove nessuno ascolta), o ne interrompe una (abort, close con dati non letti); nessuno lo riscontra."},
    {"RFC 9293 §3.5: connect() opens the three-way handshake with a SYN carrying the ISN; no ACK yet, there is nothing to acknowledge.",
     "RFC 9293 §3.5 : connect() ouvre la poignée de main en trois temps par un SYN qui porte l'ISN ; pas encore d'ACK, il n'y a rien à acquitter.",
     "RFC 9293 §3.5: connect() apre l'handshake a tre vie con un SYN che porta l'ISN; ancora nessun ACK, non c'è niente da riscontrare."},
    {"RFC 9293 §3.5: a SYN is answered with this side's own SYN and the ACK of the peer's, in one segment: SYN+ACK.",
     "RFC 9293 §3.5 : on répond à un SYN par son propre SYN et l'ACK de celui du pair, en un seul segment : SYN+ACK.",
     "RFC 9293 §3.5: a un SYN si risponde con il proprio SYN e l'ACK di quello del pari, in un solo segmento: SYN+ACK."},
    {"RFC 9293 §3.5: the SYN+ACK acknowledges the SYN, which takes one sequence number: ack = ISN + 1 = {0}.",
     "RFC 9293 §3.5 : le SYN+ACK acquitte le SYN, qui prend un numéro de séquence : ack = ISN + 1 = {0}.",
     "RFC 9293 §3.5: il SYN+ACK riscontra il SYN, che occupa un numero di sequenza: ack = ISN + 1 = {0}."},
    {"RFC 9293 §3.6: close() (or shutdown(), or the program's end) sends a FIN, \"no more data from me\"; after the handshake every segment also carries an ACK.",
     "RFC 9293 §3.6 : close() (ou shutdown(), ou la fin du programme) envoie un FIN, « plus de données de ma part » ; après la poignée de main chaque segment porte aussi un ACK.",
     "RFC 9293 §3.6: close() (o shutdown(), o la fine del programma) invia un FIN, «niente più dati da parte mia»; dopo l'handshake ogni segmento porta anche un ACK."},
    {"RFC 9293 §3.6: the FIN takes the next sequence number after the last byte sent: {0} (the SYN counted one, each data byte one).",
     "RFC 9293 §3.6 : le FIN prend le numéro de séquence qui suit le dernier octet envoyé : {0} (le SYN en a compté un, chaque octet de données un).",
     "RFC 9293 §3.6: il FIN prende il numero di sequenza dopo l'ultimo byte inviato: {0} (il SYN ne ha contato uno, ogni byte di dati uno)."},
    {"RFC 9293 §3.5: the third segment of the handshake acknowledges the peer's SYN: a plain ACK (this side's SYN was already sent).",
     "RFC 9293 §3.5 : le troisième segment de la poignée de main acquitte le SYN du pair : un simple ACK (le SYN de ce côté est déjà parti).",
     "RFC 9293 §3.5: il terzo segmento dell'handshake riscontra il SYN del pari: un semplice ACK (il SYN di questo lato è già partito)."},
    {"RFC 9293 §3.6: the FIN is acknowledged at once with a plain ACK; this side may still send data until its own application closes (half-close).",
     "RFC 9293 §3.6 : le FIN est acquitté tout de suite par un simple ACK ; ce côté peut encore envoyer des données jusqu'à ce que sa propre application ferme (demi-fermeture).",
     "RFC 9293 §3.6: il FIN viene riscontrato subito con un semplice ACK; questo lato può ancora inviare dati finché la sua applicazione non chiude (semichiusura)."},
    {"RFC 9293 §3.6: the FIN takes one sequence number and is acknowledged like data: ack = its seq + 1 = {0}.",
     "RFC 9293 §3.6 : le FIN prend un numéro de séquence et s'acquitte comme des données : ack = son seq + 1 = {0}.",
     "RFC 9293 §3.6: il FIN occupa un numero di sequenza e si riscontra come i dati: ack = il suo seq + 1 = {0}."},
    {"RFC 9293 §3.4: the ack number is the next sequence number expected: seq {0} + {1} bytes = {2}.",
     "RFC 9293 §3.4 : le numéro d'acquittement est le prochain numéro de séquence attendu : seq {0} + {1} octets = {2}.",
     "RFC 9293 §3.4: il numero di riscontro è il prossimo numero di sequenza atteso: seq {0} + {1} byte = {2}."},
    {"RFC 9293 §3.4: the ack number is the next sequence number expected: every byte before {0} has arrived.",
     "RFC 9293 §3.4 : le numéro d'acquittement est le prochain numéro de séquence attendu : tous les octets avant {0} sont arrivés.",
     "RFC 9293 §3.4: il numero di riscontro è il prossimo numero di sequenza atteso: tutti i byte prima di {0} sono arrivati."},
    {"RFC 9293 §3.4: the SYN took one sequence number (the ISN, 0), so the first data byte is ISN + 1 = 1.",
     "RFC 9293 §3.4 : le SYN a pris un numéro de séquence (l'ISN, 0), donc le premier octet de données est ISN + 1 = 1.",
     "RFC 9293 §3.4: il SYN ha occupato un numero di sequenza (l'ISN, 0), quindi il primo byte di dati è ISN + 1 = 1."},
    {"RFC 9293 §3.4: a segment's seq is the number of its first byte: the next one not yet sent, {0}.",
     "RFC 9293 §3.4 : le seq d'un segment est le numéro de son premier octet : le prochain pas encore envoyé, {0}.",
     "RFC 9293 §3.4: il seq di un segmento è il numero del suo primo byte: il prossimo non ancora inviato, {0}."},
};

// `english` in `lang`, the names put in; English when there is no translation.
template <class... Args>
std::string tr(const std::string& lang, std::string_view english, const Args&... args) {
    std::string_view text = english;
    for (const Translation& t : kTexts) {
        if (t.en == english) text = lang == "fr" ? t.fr : lang == "it" ? t.it : t.en;
    }
    return fmt::format(fmt::runtime(text), args...);
}

}  // namespace

std::string_view text(std::string_view lang, std::string_view english) {
    for (const Translation& t : kTexts) {
        if (t.en == english) return lang == "fr" ? t.fr : lang == "it" ? t.it : t.en;
    }
    return english;
}

namespace {

// Deterministic shuffling (splitmix64): the same seed gives the same order on every platform.
struct Random {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

// The right answer first, then up to three distinct wrong ones; shuffled, seeded from the
// scenario's seed, the step and the kind.
void set_choices(Question& q, const std::string& right, const std::vector<std::string>& wrong, uint64_t seed) {
    q.choices = {right};
    for (const std::string& w : wrong) {
        if (q.choices.size() == 4) break;
        if (std::find(q.choices.begin(), q.choices.end(), w) == q.choices.end()) q.choices.push_back(w);
    }
    Random random{seed ^ (uint64_t(q.step) << 8) ^ uint64_t(q.kind)};
    for (size_t i = q.choices.size(); i > 1; --i) std::swap(q.choices[i - 1], q.choices[random.next() % i]);
    q.answer = uint32_t(std::find(q.choices.begin(), q.choices.end(), right) - q.choices.begin());
}

// Numbers near the right one: each wrong as a student's slip would be.
std::vector<std::string> numbers(uint32_t right, std::initializer_list<std::optional<uint32_t>> wrong) {
    std::vector<std::string> out;
    for (const std::optional<uint32_t>& w : wrong) {
        if (w && *w != right) out.push_back(std::to_string(*w));
    }
    return out;
}
std::optional<uint32_t> minus_one(uint32_t n) { return n == 0 ? std::nullopt : std::optional<uint32_t>(n - 1); }

// Flag sets a student could mistake the right one for (RFC 9293 §3.5, §3.6).
std::vector<std::string> flag_confusions(const Segment& s) {
    if (s.has(tcp_flag::RST)) return {"RST", "RST+ACK", "FIN+ACK", "ACK"};
    if (s.has(tcp_flag::SYN)) return {"SYN", "SYN+ACK", "ACK", "RST"};
    if (s.has(tcp_flag::FIN)) return {"FIN+ACK", "ACK", "RST", "SYN"};
    return {"ACK", "FIN+ACK", "SYN+ACK", "RST"};
}

// States a student could mistake the right one for: its neighbours in RFC 9293 §3.3.2 Figure 5,
// and the other side's state at the same moment (who waits in TIME-WAIT, who in CLOSE-WAIT).
std::vector<TcpState> state_confusions(TcpState to) {
    using S = TcpState;
    switch (to) {
        case S::Closed: return {S::TimeWait, S::LastAck, S::Listen};
        case S::Listen: return {S::SynSent, S::Closed, S::SynReceived};
        case S::SynSent: return {S::SynReceived, S::Listen, S::Established};
        case S::SynReceived: return {S::Established, S::SynSent, S::Listen};
        case S::Established: return {S::SynReceived, S::SynSent, S::FinWait1};
        case S::FinWait1: return {S::CloseWait, S::FinWait2, S::LastAck};
        case S::FinWait2: return {S::FinWait1, S::TimeWait, S::Closing};
        case S::CloseWait: return {S::FinWait1, S::LastAck, S::Closed};
        case S::Closing: return {S::TimeWait, S::FinWait2, S::LastAck};
        case S::LastAck: return {S::TimeWait, S::CloseWait, S::Closed};
        case S::TimeWait: return {S::Closed, S::FinWait2, S::LastAck};
    }
    return {};
}

// "SYN, ACK", "SYN+ACK", "ACK SYN": a set of flags.
std::optional<uint8_t> flags_of(std::string text) {
    for (char& c : text) {
        if (c == ',' || c == ' ') c = '+';
    }
    while (text.find("++") != std::string::npos) text.erase(text.find("++"), 1);
    while (!text.empty() && text.front() == '+') text.erase(0, 1);
    while (!text.empty() && text.back() == '+') text.pop_back();
    return tcp_flags_from_string(text);
}

Kind kind_of(const std::string& about) {
    if (about == "next_flags") return Kind::NextFlags;
    if (about == "next_state") return Kind::NextState;
    if (about == "ack") return Kind::Ack;
    if (about == "seq") return Kind::Seq;
    if (about == "local_port") return Kind::LocalPort;
    return Kind::Free;
}

// What the trace holds for a teacher's question with `about`: the first matching event after it.
struct Fact {
    uint32_t step = kNone;
    uint32_t packet = kNone;
    std::string value;    // as the quiz writes it: "SYN+ACK", "12", "TIME-WAIT", "49152"
    std::string subject;  // "web:80"
    bool found() const { return step != kNone; }
};

Fact find_fact(const Trace& trace, const TraceIndex& index, const std::vector<Segment>& segments, const Trace::Ask& a) {
    Fact f;
    Kind kind = kind_of(trace.str(a.about));
    f.subject = index.host_name(a.host);
    const SocketHistory* history = a.socket != 0 ? index.history_of(a.host, a.socket) : nullptr;
    if (a.socket != 0 && history) {
        for (const SocketInfo& row : history->rows) {
            if (row.local.port != 0) {
                f.subject = index.local_name(a.host, row.local);
                break;
            }
        }
    }
    // The socket sent this segment: one of its rows has the segment's ends (a listener: its port).
    auto owns = [&](const Segment& s) {
        if (a.socket == 0) return true;
        if (!history) return false;
        for (const SocketInfo& row : history->rows) {
            if (row.local.port != s.src.port) continue;
            if (row.local.address.value != 0 && row.local.address != s.src.address) continue;
            if (!row.remote || *row.remote == s.dst) return true;
        }
        return false;
    };
    for (uint32_t step = a.step + 1; step < trace.events.size(); ++step) {
        const TraceEvent& e = trace.events[step];
        if (e.host != a.host) continue;
        if (kind == Kind::NextFlags || kind == Kind::Ack || kind == Kind::Seq) {
            if (e.kind != EventKind::PacketSent || e.packet >= segments.size()) continue;
            if (trace.packets[e.packet].duplicate_of != kNone) continue;
            const Segment& s = segments[e.packet];
            if (!s.tcp || !owns(s)) continue;
            f.step = step;
            f.packet = e.packet;
            f.subject = index.endpoint_name(s.src);
            f.value = kind == Kind::NextFlags ? tcp_flags_to_string(s.flags)
                                              : std::to_string(kind == Kind::Ack ? s.ack : s.seq);
            return f;
        }
        if (e.kind != EventKind::StateChange || e.from == e.to) continue;
        if (a.socket != 0 && e.socket != a.socket) continue;
        if (kind == Kind::LocalPort && !(e.from == TcpState::Closed && e.to == TcpState::SynSent && e.tuple)) continue;
        f.step = step;
        if (e.tuple) f.subject = index.local_name(e.host, e.tuple->local);
        f.value = kind == Kind::LocalPort ? std::to_string(e.tuple->local.port) : std::string(to_string(e.to));
        return f;
    }
    return f;
}

// The teacher's answer says the same as the trace.
bool agrees(Kind kind, const std::string& answer, const std::string& fact) {
    if (kind == Kind::NextFlags) return flags_of(answer) == flags_of(fact);
    if (kind == Kind::NextState) return tcp_state_from_string(answer) == tcp_state_from_string(fact);
    return answer == fact;
}

std::string fact_sentence(Kind kind, const Fact& f) {
    switch (kind) {
        case Kind::NextFlags: return f.subject + " sends " + f.value + " next";
        case Kind::Ack: return f.subject + "'s next segment has ack " + f.value + " (relative to the ISN)";
        case Kind::Seq: return f.subject + "'s next segment has seq " + f.value + " (relative to the ISN)";
        case Kind::NextState: return f.subject + " enters " + f.value + " next";
        case Kind::LocalPort: return f.subject + " gets local port " + f.value + " at its connect";
        default: return "";
    }
}

std::string never_sentence(Kind kind, const std::string& subject) {
    switch (kind) {
        case Kind::NextFlags:
        case Kind::Ack:
        case Kind::Seq: return subject + " sends no TCP segment after the question";
        case Kind::NextState: return subject + " enters no new state after the question";
        case Kind::LocalPort: return subject + " makes no connect after the question";
        default: return "";
    }
}

struct Candidate {
    Question question;
    int priority = 3;  // 0, then 1: asked first when there are more than `max`
};

class Generator {
public:
    Generator(const Trace& trace, std::string lang) : trace_(trace), lang_(std::move(lang)), index_(trace), segments_(decode(trace)) {}

    std::vector<Question> run(size_t max) {
        std::map<std::pair<Endpoint, Endpoint>, uint32_t> last_delivered;  // by (src, dst): a packet
        for (uint32_t step = 0; step < trace_.events.size(); ++step) {
            const TraceEvent& e = trace_.events[step];
            if (e.kind == EventKind::StateChange) state_change(step, e);
            if (e.packet >= segments_.size()) continue;
            const Segment& s = segments_[e.packet];
            if (e.kind == EventKind::PacketDelivered && s.tcp) last_delivered[{s.src, s.dst}] = e.packet;
            if (e.kind != EventKind::PacketSent || trace_.packets[e.packet].duplicate_of != kNone) continue;
            if (std::optional<ArpPacket> a = trace_.arp(trace_.packets[e.packet])) arp(step, e, *a);
            if (s.icmp || s.udp) ttl(step, e);
            if (s.icmp) icmp(step, e);
            if (s.udp) datagram(step, e);
            if (!s.tcp) continue;
            auto peer = last_delivered.find({s.dst, s.src});
            segment(step, e, peer == last_delivered.end() ? nullptr : &segments_[peer->second]);
        }
        // The most instructive `max`, shown in step order.
        std::stable_sort(candidates_.begin(), candidates_.end(),
                         [](const Candidate& a, const Candidate& b) { return a.priority < b.priority; });
        if (candidates_.size() > max) candidates_.resize(max);
        std::stable_sort(candidates_.begin(), candidates_.end(),
                         [](const Candidate& a, const Candidate& b) { return a.question.step < b.question.step; });
        std::vector<Question> out;
        for (Candidate& c : candidates_) out.push_back(std::move(c.question));
        return out;
    }

private:
    // One question per topic (the first SYN, the first lost datagram...): variety over repetition.
    Question* add(const std::string& topic, int priority, uint32_t step, Kind kind, uint32_t host, uint32_t packet) {
        if (!topics_.insert(topic).second) return nullptr;
        Candidate c;
        c.priority = priority;
        c.question.step = step;
        c.question.kind = kind;
        c.question.host = host;
        c.question.packet = packet;
        candidates_.push_back(std::move(c));
        return &candidates_.back().question;
    }
    void choices(Question& q, const std::string& right, const std::vector<std::string>& wrong) {
        set_choices(q, right, wrong, trace_.seed * 0x100000001b3ULL);
    }

    // One of the host's own addresses (else the packet is forwarded).
    bool own(uint32_t host, Ipv4Address a) const {
        for (const InterfaceConfig& itf : trace_.hosts[host].interfaces)
            if (itf.address.address == a) return true;
        return false;
    }
    std::string name_of(Ipv4Address a) const {
        for (uint32_t h = 0; h < trace_.hosts.size(); ++h)
            if (own(h, a)) return trace_.hosts[h].name;
        return a.to_string();
    }

    // An ICMP message a host or router originates, other than ping's own request.
    void icmp(uint32_t step, const TraceEvent& e) {
        const Segment& s = segments_[e.packet];
        if (!own(e.host, s.src.address) || s.type == icmp_type::ECHO_REQUEST) return;
        const std::string echo = "Echo Reply (type 0)", exceeded = "Time Exceeded (type 11)",
                          port = "Port Unreachable (type 3, code 3)", host = "Host Unreachable (type 3, code 1)",
                          net = "Net Unreachable (type 3, code 0)", rst = "TCP RST";
        std::string right;
        std::vector<std::string> wrong;
        std::string why;
        int priority = 1;
        if (s.type == icmp_type::ECHO_REPLY) {
            right = echo, wrong = {exceeded, port, host}, priority = 2;
            why = tr(lang_, "RFC 792 (Echo or Echo Reply Message): the destination answers an echo request (type 8) with an echo reply (type 0) carrying the same identifier, sequence number and data; ping times the round trip.");
        } else if (s.type == icmp_type::TIME_EXCEEDED) {
            right = exceeded, wrong = {echo, host, port};
            why = tr(lang_, "RFC 1812 §5.3.1 and RFC 792: a router lowers the TTL of every packet it forwards by one; when it reaches 0 the router discards the packet and tells the source with Time Exceeded (type 11, code 0), quoting the start of the packet. tracert sends TTL 1, 2, 3... to make each router on the way answer.");
        } else if (s.type == icmp_type::DEST_UNREACHABLE && s.code == icmp_code::PORT_UNREACHABLE) {
            right = port, wrong = {rst, echo, host};
            why = tr(lang_, "RFC 1122 §3.2.2.1 and §4.1.3.1, RFC 792: a UDP datagram to a port where no program listens is answered with Destination Unreachable, code 3 (port unreachable): UDP's counterpart of TCP's RST.");
        } else if (s.type == icmp_type::DEST_UNREACHABLE && s.code == icmp_code::HOST_UNREACHABLE) {
            right = host, wrong = {exceeded, port, echo};
            why = tr(lang_, "RFC 1812 §5.2.7.1 and RFC 792: the last router could not reach the destination host on its network (no answer to its ARP requests): Destination Unreachable, code 1 (host unreachable).");
        } else if (s.type == icmp_type::DEST_UNREACHABLE && s.code == icmp_code::NET_UNREACHABLE) {
            right = net, wrong = {host, exceeded, echo};
            why = tr(lang_, "RFC 1812 §5.2.7.1 and RFC 792: the router has no route to the destination's network: Destination Unreachable, code 0 (net unreachable).");
        } else {
            return;
        }
        Question* q = add("icmp:" + right, priority, step, Kind::IcmpMessage, e.host, e.packet);
        if (!q) return;
        q->prompt = tr(lang_, "What does {0} send back to {1}?", index_.host_name(e.host), name_of(s.dst.address));
        choices(*q, right, wrong);
        q->explanation = why;
    }

    // The TTL: of a packet a router forwards (one less than it came with), of tracert's next probe.
    void ttl(uint32_t step, const TraceEvent& e) {
        const Segment& s = segments_[e.packet];
        if (!own(e.host, s.src.address)) {
            Question* q = add("ttl:forward", 2, step, Kind::Ttl, e.host, e.packet);
            if (!q) return;
            q->prompt = tr(lang_, "{0} forwards a packet from {1} to {2}. What TTL does it carry now?", index_.host_name(e.host),
                           name_of(s.src.address), name_of(s.dst.address));
            choices(*q, std::to_string(s.ttl), numbers(s.ttl, {uint32_t(s.ttl) + 1, minus_one(s.ttl), 64u}));
            q->explanation = tr(lang_, "RFC 1812 §5.3.1 (RFC 791): a router lowers the TTL of each packet it forwards by one: it arrived with {0} and leaves with {1}. At 0 the packet is dropped: a packet caught in a loop cannot circulate forever.", s.ttl + 1, s.ttl);
            return;
        }
        // tracert's probes (ICMP echo requests), traceroute's (UDP datagrams): TTL 1, 2, 3...
        if ((s.icmp && s.type != icmp_type::ECHO_REQUEST) || s.ttl < 2 || s.ttl > 30) return;
        Question* q = add("ttl:probe", 1, step, Kind::Ttl, e.host, e.packet);
        if (!q) return;
        q->prompt = tr(lang_, "{0} traces the route to {1}. What TTL does its next probe carry?", index_.host_name(e.host),
                       name_of(s.dst.address));
        choices(*q, std::to_string(s.ttl), numbers(s.ttl, {minus_one(s.ttl), uint32_t(s.ttl) + 1, 64u}));
        q->explanation = s.icmp ? tr(lang_, "tracert sends echo requests with TTL 1, then 2, then 3...: the probe with TTL {0} expires at router number {0}, which answers with Time Exceeded (RFC 1812 §5.3.1, RFC 792), and so names itself.", s.ttl)
                                : tr(lang_, "traceroute sends UDP datagrams with TTL 1, then 2, then 3...: the probe with TTL {0} expires at router number {0}, which answers with Time Exceeded (RFC 1812 §5.3.1, RFC 792), and so names itself.", s.ttl);
    }

    // An ARP request (RFC 826): asked as what the host sends first, or, when the packet waiting
    // for it is for another subnet, whose address it asks for (the gateway's, the next router's).
    void arp(uint32_t step, const TraceEvent& e, const ArpPacket& a) {
        if (a.op != ArpPacket::Op::Request) return;
        std::optional<Ipv4Address> waiting;
        for (uint32_t k = step + 1; k < trace_.events.size() && !waiting; ++k) {
            const TraceEvent& n = trace_.events[k];
            if (n.kind != EventKind::PacketSent || n.host != e.host || n.packet >= segments_.size()) continue;
            const Segment& w = segments_[n.packet];
            if (w.tcp || w.udp || w.icmp) waiting = w.dst.address;
        }
        if (!waiting) return;
        const std::string host = index_.host_name(e.host), target = a.target_ip.to_string();
        if (*waiting == a.target_ip) {
            Question* q = add("arp:request", 3, step, Kind::ArpRequest, e.host, e.packet);
            if (!q) return;
            q->prompt = tr(lang_, "{0} must send a packet to {1} and has no MAC address for it. What does it send first?", host,
                           name_of(a.target_ip));
            choices(*q, tr(lang_, "An ARP request to every host (broadcast)"),
                    {tr(lang_, "An ARP request to {0} only", name_of(a.target_ip)), tr(lang_, "The packet itself, to every host"),
                     tr(lang_, "An ICMP echo request to {0}", name_of(a.target_ip))});
            q->explanation = tr(lang_, "RFC 826: a frame needs the receiver's MAC address. Not knowing it, {0} broadcasts an ARP request (to ff:ff:ff:ff:ff:ff) \"who has {1}?\"; every host on the network reads it, only the owner answers, by unicast. The packet waits meanwhile.", host, target);
            return;
        }
        // Priority 0: where a router is on the way, the question of the lesson (RFC 1122 §3.3.1).
        Question* q = add("arp:target", 0, step, Kind::ArpTarget, e.host, e.packet);
        if (!q) return;
        q->prompt = tr(lang_, "{0} has a packet for {1}. Whose MAC address does its ARP request ask for?", host, waiting->to_string());
        std::vector<std::string> wrong{waiting->to_string(), "255.255.255.255"};
        for (const InterfaceConfig& itf : trace_.hosts[e.host].interfaces)
            if (itf.address.address == a.sender_ip) wrong.push_back(itf.address.broadcast().to_string());
        choices(*q, target, wrong);
        bool router = trace_.hosts[e.host].forwarding;
        q->explanation = tr(lang_, router ? "RFC 1812 §5.2.1 and RFC 826: {0} is not on a network of {1}, so the frame goes to the next router on the route, {2}: ARP asks for its MAC address, never for {0} (the IP header keeps the final destination; only the frame changes at each hop)."
                                          : "RFC 1122 §3.3.1 and RFC 826: {0} is not on {1}'s own subnet, so the frame goes to the default gateway, {2}: ARP asks for its MAC address, never for {0} (the IP header keeps the final destination; only the frame changes at each hop).",
                            waiting->to_string(), host, target);
    }

    void state_change(uint32_t step, const TraceEvent& e) {
        if (!e.tuple || e.from == e.to) return;
        std::string socket = index_.local_name(e.host, e.tuple->local);
        if (e.from == TcpState::Closed && e.to == TcpState::SynSent) local_port(step, e);
        std::string topic = "state:" + std::string(to_string(e.from)) + ">" + std::string(to_string(e.to));
        int priority = e.to == TcpState::TimeWait || e.to == TcpState::CloseWait ? 2 : 3;
        Question* q = add(topic, priority, step, Kind::NextState, e.host, kNone);
        if (!q) return;
        q->prompt = tr(lang_, "Which state does {0} enter now?", socket);
        std::vector<std::string> wrong;
        for (TcpState s : state_confusions(e.to)) {
            if (s != e.from) wrong.emplace_back(to_string(s));
        }
        choices(*q, std::string(to_string(e.to)), wrong);
        q->explanation = tr(lang_, "RFC 9293 §3.3.2 (Figure 5): {0} -> {1} on {2}.", to_string(e.from), to_string(e.to), trace_.str(e.text));
    }

    void local_port(uint32_t step, const TraceEvent& e) {
        uint16_t right = e.tuple->local.port, server = e.tuple->remote.port;
        Question* q = add("port", 1, step, Kind::LocalPort, e.host, kNone);
        if (!q) return;
        q->prompt = tr(lang_, "{0} connects to {1}. Which local port will the OS pick?", index_.host_name(e.host),
                       index_.endpoint_name(e.tuple->remote));
        std::vector<std::string> wrong{std::to_string(server)};
        for (uint16_t well_known : {80, 443, 8080}) {
            if (well_known != right && well_known != server) {
                wrong.push_back(std::to_string(well_known));
                break;
            }
        }
        choices(*q, std::to_string(right), wrong);
        bool linux_profile = trace_.profile == "linux";
        Profile profile = linux_profile ? Profile::linux() : Profile::textbook();
        std::string range = std::to_string(profile.ephemeral_first) + "-" + std::to_string(profile.ephemeral_last);
        q->explanation = tr(lang_, linux_profile ? "The OS gives the client a free ephemeral port: Linux takes it from ip_local_port_range, {0} (RFC 6335 §6 advises 49152-65535). {1} is the server's port, which connect() names."
                                                 : "The OS gives the client a free ephemeral port: the IANA range {0} (RFC 6335 §6). {1} is the server's port, which connect() names.",
                            range, server);
    }

    void datagram(uint32_t step, const TraceEvent& e) {
        const TracePacket& p = trace_.packets[e.packet];
        if (p.end_step == kNone) return;  // still on the wire when the run ended
        Question* q = add(p.dropped ? "udp:lost" : "udp:arrives", p.dropped ? 1 : 2, step, Kind::DatagramArrives, e.host, e.packet);
        if (!q) return;
        const Segment& s = segments_[e.packet];
        q->prompt = tr(lang_, "{0} sends a datagram to {1}. Does the datagram arrive?", index_.endpoint_name(s.src),
                       index_.endpoint_name(s.dst));
        const std::string yes = tr(lang_, "Yes, it arrives"), no = tr(lang_, "No, it is lost");
        choices(*q, p.dropped ? no : yes, {p.dropped ? yes : no});
        q->explanation = p.dropped ? tr(lang_, "UDP has no acknowledgement (RFC 768): the datagram is lost ({0}) and nobody is told; only the application can notice (a timeout) and send again.", p.drop_reason)
                                   : tr(lang_, "It arrives: UDP (RFC 768) sends each datagram once, with no acknowledgement; this one was not lost on the way.");
    }

    // A TCP segment about to be sent; `peer`: the last segment this socket received from the other end.
    void segment(uint32_t step, const TraceEvent& e, const Segment* peer) {
        const Segment& s = segments_[e.packet];
        const std::string from = index_.endpoint_name(s.src), to = index_.endpoint_name(s.dst);
        const std::string flags = tcp_flags_to_string(s.flags);
        auto ask_flags = [&](const std::string& topic, int priority, const std::string& why) {
            Question* q = add(topic, priority, step, Kind::NextFlags, e.host, e.packet);
            if (!q) return;
            q->prompt = tr(lang_, "What does {0} send to {1} now?", from, to);
            choices(*q, flags, flag_confusions(s));
            q->explanation = why;
        };
        auto ask_number = [&](Kind kind, const std::string& topic, int priority, uint32_t right,
                              std::vector<std::string> wrong, const std::string& why) {
            Question* q = add(topic, priority, step, kind, e.host, e.packet);
            if (!q) return;
            q->prompt = kind == Kind::Ack ? tr(lang_, "{0} sends {1} to {2}. What is its ack number?", from, flags, to)
                                          : tr(lang_, "{0} sends {1} to {2}. What is its sequence number?", from, flags, to);
            choices(*q, std::to_string(right), wrong);
            q->explanation = why;
            if (s.shifted) q->explanation += tr(lang_, " (Numbers relative to each side's ISN, as the viewer shows them.)");
        };
        const bool pure_ack = s.flags == tcp_flag::ACK && s.len == 0;
        if (s.has(tcp_flag::RST)) {
            ask_flags("flags:RST", 1,
                      tr(lang_, "RFC 9293 §3.5.2: a reset answers a segment that belongs to no connection (a port nobody listens on), or aborts one (abort, close with unread data); nobody acknowledges it."));
        } else if (s.has(tcp_flag::SYN) && !s.has(tcp_flag::ACK)) {
            ask_flags("flags:SYN", 1,
                      tr(lang_, "RFC 9293 §3.5: connect() opens the three-way handshake with a SYN carrying the ISN; no ACK yet, there is nothing to acknowledge."));
        } else if (s.has(tcp_flag::SYN)) {
            ask_flags("flags:SYN+ACK", 1,
                      tr(lang_, "RFC 9293 §3.5: a SYN is answered with this side's own SYN and the ACK of the peer's, in one segment: SYN+ACK."));
            ask_number(Kind::Ack, "ack:SYN", 1, s.ack, numbers(s.ack, {minus_one(s.ack), s.ack + 1, s.seq}),
                       tr(lang_, "RFC 9293 §3.5: the SYN+ACK acknowledges the SYN, which takes one sequence number: ack = ISN + 1 = {0}.", s.ack));
        } else if (s.has(tcp_flag::FIN)) {
            ask_flags("flags:FIN", 1,
                      tr(lang_, "RFC 9293 §3.6: close() (or shutdown(), or the program's end) sends a FIN, \"no more data from me\"; after the handshake every segment also carries an ACK."));
            ask_number(Kind::Seq, "seq:FIN", 3, s.seq, numbers(s.seq, {minus_one(s.seq), s.seq + 1, s.ack}),
                       tr(lang_, "RFC 9293 §3.6: the FIN takes the next sequence number after the last byte sent: {0} (the SYN counted one, each data byte one).", s.seq));
        } else if (pure_ack && peer && peer->has(tcp_flag::SYN)) {
            ask_flags("flags:ACK-of-SYN", 2,
                      tr(lang_, "RFC 9293 §3.5: the third segment of the handshake acknowledges the peer's SYN: a plain ACK (this side's SYN was already sent)."));
        } else if (pure_ack && peer && peer->has(tcp_flag::FIN)) {
            ask_flags("flags:ACK-of-FIN", 2,
                      tr(lang_, "RFC 9293 §3.6: the FIN is acknowledged at once with a plain ACK; this side may still send data until its own application closes (half-close)."));
            ask_number(Kind::Ack, "ack:FIN", 2, s.ack, numbers(s.ack, {minus_one(s.ack), s.ack + 1, s.seq}),
                       tr(lang_, "RFC 9293 §3.6: the FIN takes one sequence number and is acknowledged like data: ack = its seq + 1 = {0}.", s.ack));
        } else if (pure_ack && peer && peer->len > 0) {
            uint32_t next = peer->seq + peer->len;
            std::string why = next == s.ack ? tr(lang_, "RFC 9293 §3.4: the ack number is the next sequence number expected: seq {0} + {1} bytes = {2}.", peer->seq, peer->len, s.ack)
                                            : tr(lang_, "RFC 9293 §3.4: the ack number is the next sequence number expected: every byte before {0} has arrived.", s.ack);
            ask_number(Kind::Ack, "ack:data", 1, s.ack,
                       numbers(s.ack, {peer->seq, s.ack + 1, peer->len, minus_one(s.ack)}), why);
        } else if (s.len > 0) {
            std::string why = s.seq == 1 ? tr(lang_, "RFC 9293 §3.4: the SYN took one sequence number (the ISN, 0), so the first data byte is ISN + 1 = 1.")
                                         : tr(lang_, "RFC 9293 §3.4: a segment's seq is the number of its first byte: the next one not yet sent, {0}.", s.seq);
            ask_number(Kind::Seq, "seq:data", 2, s.seq, numbers(s.seq, {minus_one(s.seq), s.seq + 1, s.ack}), why);
        }
    }

    const Trace& trace_;
    std::string lang_;
    TraceIndex index_;
    std::vector<Segment> segments_;
    std::vector<Candidate> candidates_;
    std::set<std::string> topics_;
};

}  // namespace

std::vector<Question> generate(const Trace& trace, const QuizOptions& options) {
    std::vector<Question> teacher;
    if (!trace.asks.empty()) {
        TraceIndex index(trace);
        std::vector<Segment> segments = decode(trace);
        for (const Trace::Ask& a : trace.asks) {
            if (a.step >= trace.events.size()) continue;
            Question q;
            q.teacher = true;
            q.step = a.step;
            q.kind = kind_of(trace.str(a.about));
            q.host = a.about != kNone ? a.host : trace.events[a.step].host;
            q.prompt = trace.caption_text(a.step, options.lang);
            for (const Trace::AskText& c : a.choices) q.choices.push_back(trace.ask_text(c, options.lang));
            q.answer = a.answer;
            if (a.explain.en != kNone) q.explanation = trace.ask_text(a.explain, options.lang);
            if (a.about != kNone) {
                Fact f = find_fact(trace, index, segments, a);
                q.fact_step = f.step;
                q.packet = f.packet;
                if (a.explain.en == kNone && f.found()) q.explanation = "The trace: " + fact_sentence(q.kind, f) + " (step " + std::to_string(f.step) + ").";
            }
            teacher.push_back(std::move(q));
        }
    }
    size_t room = options.max > teacher.size() ? options.max - teacher.size() : 0;
    std::vector<Question> out = room > 0 ? Generator(trace, options.lang).run(room) : std::vector<Question>{};
    out.insert(out.end(), teacher.begin(), teacher.end());
    // In step order; at one step the teacher's question first.
    std::stable_sort(out.begin(), out.end(), [](const Question& a, const Question& b) {
        return a.step != b.step ? a.step < b.step : a.teacher > b.teacher;
    });
    return out;
}

std::vector<std::string> check_asks(const Trace& trace, bool complete) {
    std::vector<std::string> out;
    bool any = std::any_of(trace.asks.begin(), trace.asks.end(), [](const Trace::Ask& a) { return a.about != kNone; });
    if (!any) return out;
    TraceIndex index(trace);
    std::vector<Segment> segments = decode(trace);
    for (const Trace::Ask& a : trace.asks) {
        if (a.about == kNone || a.step >= trace.events.size() || a.answer >= a.choices.size()) continue;
        Kind kind = kind_of(trace.str(a.about));
        Fact f = find_fact(trace, index, segments, a);
        std::string where = trace.str(a.where);
        std::string head = (where.empty() ? "" : where + ": ") + "ask: ";
        const std::string& answer = trace.str(a.choices[a.answer].en);
        if (!f.found()) {
            if (complete) out.push_back(head + "the question is about " + trace.str(a.about) + " but " + never_sentence(kind, f.subject) +
                                        " (step " + std::to_string(a.step) + ")");
            continue;
        }
        if (!agrees(kind, answer, f.value)) {
            out.push_back(head + "the answer \"" + answer + "\" contradicts the trace: " + fact_sentence(kind, f) + " (step " +
                          std::to_string(f.step) + ")");
        }
    }
    return out;
}

}  // namespace netstep::sim::quiz
