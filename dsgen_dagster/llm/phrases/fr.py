"""French customer-email phrases every ticket shares, and French words (months, amounts,
payment and shipping names). Template text of the offline provider, not model output.
"""

# fmt: off
WORDS = {
    "months": [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ],
    "date": "{day} {month} {year}",
    "first_day": "1er",
    "money": "{amount} EUR",
    "separators": (" ", ","),
    "quotes": ("« ", " »"),
    "product_fallback": "le produit",
    "payment": {
        "credit_card": "carte bancaire", "debit_card": "carte de débit", "paypal": "PayPal",
        "invoice": "facture", "bank_transfer": "virement", "klarna": "Klarna",
        "apple_pay": "Apple Pay", "google_pay": "Google Pay",
        "instalments": "paiement en plusieurs fois",
    },
    "shipping": {
        "standard": "livraison standard", "express": "livraison express",
        "next_day": "livraison le lendemain", "store_pickup": "retrait en magasin",
        "pickup": "retrait en magasin",
    },
}
# fmt: on

# fmt: off
EMAIL: dict[str, list[str]] = {
    "greeting.formal": [
        "Madame, Monsieur,", "Bonjour,", "Chère équipe Voltora,",
        "Bonjour à l'équipe du service client,", "Madame, Monsieur, bonjour,",
        "Bonjour Madame, Monsieur,", "Cher service client,",
        "À l'attention du service client Voltora,",
    ],
    "greeting.casual": [
        "Salut,", "Bonjour !", "Coucou,", "Hello,", "Bonjour l'équipe,", "Salut l'équipe Voltora,",
        "Bonsoir,", "Bonjour à tous,",
    ],
    "opener": [
        "Je vous écris au sujet d'un achat récent sur votre boutique en ligne.",
        "J'espère que vous pourrez m'aider avec un problème de commande.",
        "J'ai besoin de votre aide pour une situation qui me tracasse depuis quelques jours.",
        "Je vous contacte au sujet de mon appareil {product}.",
        "Il s'agit de l'article {product} que j'ai acheté chez vous.",
        "J'ai une question sur l'une de mes commandes et je n'ai pas trouvé la réponse sur votre "
        "site.",
        "J'ai d'abord consulté vos pages d'aide, mais ma situation n'y figure pas.",
        "Je m'appelle {full} et j'ai besoin d'un coup de main.",
        "Pardon de vous déranger, mais quelque chose s'est mal passé avec mon achat.",
        "Je me permets de vous contacter concernant l'article {product} commandé chez Voltora.",
    ],
    "order.frame": [
        "J'ai passé la commande le {order_date}", "J'ai commandé le {order_date}",
        "La commande a été passée le {order_date}", "J'ai fait cet achat en ligne le {order_date}",
        "Mon achat date du {order_date}", "J'ai validé mon panier le {order_date}",
        "J'ai commandé il y a {since_order} jours, le {order_date}",
        "La commande date du {order_date}",
    ],
    "order.status.delivered": [
        "et la livraison a eu lieu le {delivery_date}",
        "et le colis m'est parvenu le {delivery_date}", "avec une livraison le {delivery_date}",
        "et le colis est arrivé il y a {since_delivery} jours", "et la livraison a bien eu lieu",
        "et le transporteur a livré le {delivery_date}",
    ],
    "order.status.shipped": [
        "et depuis, le statut indique « expédiée »",
        "et votre système indique que le colis est expédié",
        "et le statut affiche « expédiée » depuis un moment",
        "et j'ai reçu la confirmation d'expédition peu après",
    ],
    "order.status.processing": [
        "et le statut indique toujours « en cours de traitement »",
        ", mais le statut n'a jamais dépassé « en cours de traitement »",
        "et tout est bloqué en traitement depuis", "et apparemment tout est encore en préparation",
    ],
    "order.status.returned": [
        "et je vous ai déjà renvoyé l'article", "et le retour vous est depuis parvenu",
        "et le colis retour est déjà arrivé dans votre entrepôt",
    ],
    "order.status.cancelled": [
        "et la commande a ensuite été annulée", ", mais tout a fini par être annulé",
        "et le statut indique désormais « annulée »",
    ],
    "ref.given": [
        "Mon numéro de commande est {ref}.", "Le numéro de commande est {ref}.",
        "Pour référence, il s'agit de la commande {ref}.",
        "Vous trouverez la commande sous le numéro {ref}.", "C'est la commande {ref}.",
        "L'e-mail de confirmation indique la référence {ref}.", "Référence de commande : {ref}.",
        "Au cas où vous en auriez besoin, le numéro de commande est {ref}.",
        "Je parle de la commande {ref}.",
    ],
    "ref.missing": [
        "Je ne retrouve pas mon numéro de commande pour le moment, excusez-moi.",
        "Je n'ai plus l'e-mail de confirmation, donc pas le numéro de commande sous la main.",
        "J'ai supprimé l'e-mail de confirmation par erreur, mais la commande est à mon nom.",
        "Je n'ai pas le numéro de commande avec moi, mais vous devriez la trouver à mon nom.",
        "Malheureusement, j'ai égaré la confirmation de commande.",
        "Je vous écris depuis mon téléphone et je ne peux pas chercher le numéro de commande pour "
        "l'instant.",
        "La commande devrait être facile à retrouver avec mon nom et mon adresse e-mail.",
    ],
    "detail": [
        "J'ai payé {total} au total, par {payment}.", "La commande entière s'élevait à {total}.",
        "Elle a été envoyée en {shipping}.", "J'avais choisi la {shipping} pour cette commande.",
        "Le produit seul m'a coûté {price}.", "La commande comprenait {items} articles.",
        "J'ai payé par {payment}, si cela compte.", "J'ai toujours la facture de la commande.",
        "C'est la première fois que j'ai un problème avec une commande chez vous.",
        "J'ai déjà commandé chez vous de nombreuses fois sans aucun souci.",
        "J'ai déjà consulté la FAQ de votre site, sans y trouver de réponse.",
        "Cela fait déjà {since_order} jours que j'ai commandé.",
    ],
    "history": [
        "Je vous ai déjà écrit à ce sujet la semaine dernière, sans réponse.",
        "C'est la deuxième fois que je vous contacte pour cela.",
        "J'ai appelé votre service téléphonique, mais l'appel a été coupé après une longue "
        "attente.",
        "Votre assistant en ligne m'a dit qu'on m'écrirait, mais personne ne l'a fait.",
        "On m'avait dit que le problème serait réglé en quelques jours, et ce n'est pas le cas.",
        "J'ai essayé de régler cela moi-même, sans succès.",
    ],
    "tier.plus": [
        "Je suis membre Plus, j'espérais donc que tout se passerait mieux.",
        "En tant que membre Plus, je m'attendais à mieux.",
        "Je paie l'abonnement Plus, qui devait inclure une aide plus rapide.",
    ],
    "tier.business": [
        "Je commande pour mon entreprise, et nous dépendons de cet équipement.",
        "Nous sommes client professionnel et cela perturbe notre travail quotidien.",
        "En tant que client Business, nous avons besoin d'une solution rapide pour notre équipe.",
    ],
    "tone.low": [
        "Rien ne presse, quand vous aurez un moment.",
        "Ce n'est pas urgent, mais j'apprécierais une réponse.",
        "Prenez votre temps, je veux juste que ce soit réglé un jour.", "Aucune urgence.",
    ],
    "tone.medium": [
        "J'apprécierais une réponse dans les prochains jours.",
        "J'espère que nous pourrons régler cela rapidement.",
        "Merci de me dire comment nous procédons.", "Dans l'attente de votre retour.",
    ],
    "tone.high": [
        "J'aimerais vraiment que ce soit réglé rapidement.", "Cela devient assez frustrant.",
        "Merci de traiter ma demande en priorité.",
        "J'ai fait preuve de patience, mais j'ai besoin d'une réponse rapidement.",
    ],
    "tone.urgent": [
        "C'est urgent : merci de me répondre aujourd'hui.", "Il faut régler cela immédiatement.",
        "Merci de traiter cette demande de toute urgence.", "Cela ne peut plus attendre.",
    ],
    "ask.frame": [
        "Je souhaiterais {want}.", "Ce que je demande, c'est {want}.",
        "Merci de m'indiquer comment obtenir {want}.", "Pourriez-vous m'aider à obtenir {want} ?",
        "Idéalement, j'aimerais {want}.", "Ma demande est simple : {want}.",
        "J'espère obtenir {want}.", "Je demande {want}.",
    ],
    "want.refund": [
        "un remboursement intégral", "le remboursement du prix total",
        "un remboursement sur mon moyen de paiement d'origine",
    ],
    "want.store_credit": [
        "un avoir plutôt qu'un remboursement", "le montant sous forme d'avoir",
        "un crédit sur mon compte à utiliser plus tard",
    ],
    "want.replacement": [
        "un remplacement", "un nouvel appareil en état de marche",
        "un remplacement envoyé au plus vite",
    ],
    "want.exchange": [
        "un échange contre un autre modèle", "un échange contre une autre version",
        "un échange plutôt qu'un remboursement",
    ],
    "want.repair": [
        "une réparation sous garantie", "une réparation gratuite",
        "la réparation du défaut sous garantie",
    ],
    "want.reversal": [
        "l'annulation du prélèvement en trop", "le remboursement du montant erroné sur ma carte",
        "la correction du prélèvement",
    ],
    "want.price_diff": [
        "le remboursement de la différence de prix", "la différence avec le nouveau prix, plus bas",
        "le remboursement de la baisse de prix",
    ],
    "want.delivery": [
        "une information claire sur la date d'arrivée", "enfin la livraison du colis",
        "une date de livraison ferme",
    ],
    "want.access": [
        "l'accès à mon compte", "le déblocage de mon compte",
        "un moyen de connexion qui fonctionne",
    ],
    "want.data_copy": [
        "une copie de mes données personnelles",
        "un export de toutes les données que vous détenez sur moi",
        "un aperçu complet des données stockées à mon sujet",
    ],
    "want.deletion": [
        "la suppression de mon compte et de mes données",
        "la fermeture et la suppression de mon compte",
        "l'effacement de toutes mes données personnelles",
    ],
    "want.compensation": [
        "un geste commercial", "un bon d'achat pour le désagrément",
        "une compensation pour les tracas",
    ],
    "want.supervisor": [
        "la transmission de mon dossier à un responsable",
        "l'examen de mon dossier par un responsable", "un appel d'une personne responsable",
    ],
    "want.cancel": [
        "l'annulation de la commande", "une annulation avant toute expédition",
        "la confirmation que l'achat est annulé",
    ],
    "want.address": [
        "la modification de l'adresse de livraison",
        "la réexpédition du colis à ma nouvelle adresse",
        "la mise à jour de l'adresse d'expédition",
    ],
    "want.instalment": [
        "de l'aide pour mon paiement échelonné", "une solution pour l'échéance qui a échoué",
        "un moyen de remettre mes échéances en ordre",
    ],
    "want.explanation": [
        "une explication de ce qui s'est passé", "une réponse claire",
        "des précisions sur la suite",
    ],
    "closing.formal": [
        "Je vous remercie par avance de votre aide.", "Dans l'attente de votre réponse.",
        "Merci de vous pencher sur mon dossier.", "Je vous remercie de votre assistance.",
        "Merci beaucoup pour votre temps.", "Je reste dans l'attente de votre retour.",
    ],
    "closing.casual": [
        "Merci beaucoup !", "Merci d'avance.", "Merci pour votre aide !", "Merci, c'est sympa !",
        "Merci de régler ça.", "À bientôt, j'espère.",
    ],
    "signoff.formal": [
        "Cordialement,\n{first}", "Bien cordialement,\n{first}",
        "Veuillez agréer mes salutations distinguées,\n{first}", "Avec mes remerciements,\n{first}",
        "Sincères salutations,\n{first}",
    ],
    "signoff.casual": [
        "Merci,\n{first}", "Bonne journée,\n{first}", "À plus,\n{first}", "{first}",
        "Bien à vous,\n{first}",
    ],
    "subject.prefix.high": ["Besoin d'aide : ", "Important : ", "Deuxième demande : "],
    "subject.prefix.urgent": ["URGENT : ", "Urgent : ", "Très urgent : "],
    "subject.ref": [" ({ref})", " - commande {ref}", " [{ref}]", ", commande {ref}"],
}
# fmt: on
