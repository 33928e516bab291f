"""French customer-email phrases per ticket type: what happened, the details a customer adds,
the subject line. Template text of the offline provider, not model output.
"""

# fmt: off
CASES: dict[str, list[str]] = {
    "situation.return_request": [
        "Je voudrais renvoyer l'article {product}, car il ne correspond pas à mes attentes.",
        "Le produit {product} ne convient finalement pas à mes besoins, je souhaite donc le "
        "retourner.",
        "J'ai changé d'avis pour l'article {product} et je voudrais le retourner.",
        "Après avoir essayé l'appareil {product} quelques jours, j'ai décidé qu'il n'était pas "
        "fait pour moi.",
        "J'ai acheté l'article {product} en cadeau, mais la personne en avait déjà un.",
        "L'appareil {product} ne fonctionne pas avec le reste de mon équipement, il doit donc "
        "repartir.",
        "J'ai commandé l'article {product} par erreur et je préfère ne pas le garder.",
        "L'appareil {product} fonctionne, mais il ne fait pas ce pour quoi je l'ai acheté.",
    ],
    "situation.refund_status": [
        "J'ai renvoyé l'article {product} il y a un moment et je n'ai toujours pas vu de "
        "remboursement.",
        "Le remboursement de l'article {product} n'est pas encore arrivé sur mon compte.",
        "Vous avez confirmé avoir reçu l'appareil {product} en retour, mais je n'ai pas revu mon "
        "argent.",
        "J'attends toujours le remboursement promis pour l'article {product}.",
        "Mon relevé bancaire ne montre aucun remboursement pour l'appareil {product}, alors que "
        "je l'ai renvoyé.",
        "J'aimerais savoir où en est le remboursement de mon article {product}.",
        "Le remboursement de l'appareil {product} semble bloqué quelque part entre vous et ma "
        "banque.",
    ],
    "situation.shipping_delay": [
        "Mon colis avec l'article {product} n'est toujours pas arrivé.",
        "La livraison de l'appareil {product} prend bien plus de temps que prévu.",
        "J'attends l'article {product} depuis bien trop longtemps.",
        "Le suivi de mon colis n'a pas bougé depuis des jours.",
        "L'appareil {product} aurait dû arriver depuis longtemps, mais je n'ai rien reçu.",
        "Je consulte sans cesse la page de suivi, mais mon colis ne bouge pas.",
        "La date de livraison prévue pour l'article {product} est dépassée depuis longtemps.",
    ],
    "situation.damaged_item": [
        "L'article {product} est arrivé endommagé.",
        "En ouvrant le carton, j'ai trouvé l'appareil {product} cassé.",
        "Le boîtier de l'appareil {product} est fissuré et le carton était enfoncé.",
        "Malheureusement, l'appareil {product} présente une rayure profonde et un coin tordu.",
        "Le colis était écrasé et l'appareil {product} à l'intérieur ne fonctionne pas.",
        "L'article {product} reçu est visiblement abîmé, ce qui est vraiment décevant.",
        "Quelque chose bougeait dans le carton, et maintenant l'appareil {product} ne s'allume "
        "plus.",
    ],
    "situation.warranty_claim": [
        "Mon appareil {product} ne fonctionne plus correctement.",
        "L'appareil {product} est tombé en panne après quelques mois d'utilisation normale.",
        "L'appareil {product} s'éteint tout seul au hasard, je pense qu'il est défectueux.",
        "L'appareil {product} ne se recharge plus, alors que j'en ai toujours pris soin.",
        "Mon appareil {product} a un défaut : il redémarre sans arrêt tout seul.",
        "Mon appareil {product} a soudainement lâché et ne s'allume plus.",
        "L'appareil {product} fait un bruit étrange et s'arrête au bout de quelques minutes.",
    ],
    "situation.billing_dispute": [
        "On m'a facturé plus que prévu pour ma commande.",
        "Je vois deux prélèvements sur ma carte pour le même achat.",
        "Le montant débité ne correspond pas à celui affiché lors du paiement.",
        "Mon relevé indique un paiement à Voltora que je ne reconnais pas.",
        "Ma facture affiche un prix plus élevé que celui de votre site au moment de l'achat.",
        "Je pense que l'article {product} m'a été facturé deux fois.",
        "L'article {product} m'a été facturé alors que je pensais l'achat annulé.",
    ],
    "situation.account_access": [
        "Je n'arrive plus à me connecter à mon compte Voltora.",
        "Mon compte a été bloqué et je ne sais pas pourquoi.",
        "Le lien de réinitialisation du mot de passe que vous m'envoyez ne fonctionne pas.",
        "À chaque tentative de connexion, j'obtiens un message d'erreur.",
        "Je n'ai plus accès à mon compte client.",
        "Je ne reçois jamais l'e-mail de réinitialisation, je n'arrive donc pas à entrer dans mon "
        "compte.",
        "Ma connexion ne fonctionne plus depuis que j'ai changé mon mot de passe.",
    ],
    "situation.privacy_request": [
        "J'ai une question sur les données personnelles que vous conservez à mon sujet.",
        "Je m'inquiète de la quantité d'informations personnelles stockées dans mon compte.",
        "Je souhaite exercer mes droits concernant les données liées à mon compte.",
        "Je vous contacte au sujet de mes données personnelles.",
        "Après avoir lu des articles sur les fuites de données, je veux reprendre le contrôle de "
        "mes données.",
        "Je fais le tri dans mes comptes en ligne, et mon compte Voltora en fait partie.",
    ],
    "situation.complaint": [
        "La façon dont mon achat a été géré me déplaît fortement.",
        "Votre service a été décevant du début à la fin.",
        "Je vous ai contactés plusieurs fois et personne n'a résolu mon problème.",
        "J'achète chez vous depuis des années, mais cette expérience a été frustrante.",
        "Franchement, tout ce qui concerne l'article {product} a été mal géré.",
        "Personne chez Voltora ne semble prendre mon dossier en charge.",
        "Le service reçu au sujet de l'article {product} est décevant.",
    ],
    "detail.return_request": [
        "L'article {product} est comme neuf.",
        "J'ai conservé tous les accessoires et l'emballage d'origine.",
        "Si je ne me trompe pas, le délai de retour est de {window} jours.",
    ],
    "detail.refund_status": [
        "Le suivi indique que le colis vous est bien parvenu.",
        "Je l'ai renvoyé avec l'étiquette prépayée.", "Je vérifie mon compte tous les jours.",
    ],
    "detail.shipping_delay": [
        "J'en avais besoin pour une date précise.",
        "Le lien de suivi que vous m'avez envoyé ne mène nulle part.",
        "Le transporteur ne s'est jamais manifesté.",
    ],
    "detail.damaged_item": [
        "J'ai tout de suite pris des photos du carton et de l'appareil.",
        "Le carton extérieur était déjà déchiré à la livraison.", "Je ne l'ai pas du tout utilisé.",
    ],
    "detail.warranty_claim": [
        "Il n'est jamais tombé et n'a jamais été mouillé.",
        "J'ai déjà essayé une réinitialisation complète, sans succès.",
        "Il devrait encore être sous la garantie de {warranty} mois.",
    ],
    "detail.billing_dispute": [
        "J'ai une capture d'écran du prix au moment du paiement.",
        "Ma banque confirme que le prélèvement vient de Voltora.",
        "Je n'ai passé qu'une seule commande.",
    ],
    "detail.account_access": [
        "J'ai essayé avec deux navigateurs différents.",
        "J'ai aussi vérifié mon dossier de courrier indésirable.",
        "Mon adresse e-mail n'a pas changé.",
    ],
    "detail.privacy_request": [
        "Je vous écris depuis l'adresse e-mail enregistrée sur mon compte.",
        "J'aimerais une confirmation écrite une fois que tout sera traité.",
        "Je comprends que vous deviez d'abord vérifier mon identité.",
    ],
    "detail.complaint": [
        "J'y ai déjà passé des heures.", "On m'avait promis un rappel qui n'est jamais venu.",
        "Ce n'est pas le niveau de service que j'attends de vous.",
    ],
    "subject.return_request": [
        "Retour de mon article {product}", "Demande de retour : {product}",
        "Je souhaite retourner un article", "Comment renvoyer l'article {product} ?",
        "Retour de mon dernier achat", "Retourner l'article {product}",
    ],
    "subject.refund_status": [
        "Où est mon remboursement ?", "Remboursement de {product} toujours en attente",
        "J'attends toujours mon remboursement", "État de mon remboursement",
        "Pas encore de remboursement pour {product}", "Question sur un remboursement en attente",
    ],
    "subject.shipping_delay": [
        "Mon article {product} n'est pas arrivé", "Livraison en retard", "Où est mon colis ?",
        "Toujours pas livré", "Retard de livraison : {product}",
        "Aucune mise à jour du suivi depuis des jours",
    ],
    "subject.damaged_item": [
        "{product} arrivé endommagé", "Livraison endommagée", "Article reçu cassé",
        "Problème avec un article {product} abîmé", "Colis arrivé écrasé",
        "Article endommagé pendant le transport",
    ],
    "subject.warranty_claim": [
        "Demande de garantie pour {product}", "{product} ne fonctionne plus",
        "Appareil {product} défectueux", "{product} en panne : garantie", "Demande de réparation",
        "Mon appareil {product} est en panne",
    ],
    "subject.billing_dispute": [
        "Prélèvement incorrect", "Débité deux fois ?", "Question sur ma facture",
        "Mauvais montant facturé", "Paiement inconnu sur ma carte",
        "Problème de facturation sur mon achat",
    ],
    "subject.account_access": [
        "Impossible de me connecter", "Compte bloqué",
        "La réinitialisation du mot de passe ne fonctionne pas", "Problème d'accès au compte",
        "Souci de connexion", "Aide pour accéder à mon compte",
    ],
    "subject.privacy_request": [
        "Demande concernant mes données personnelles", "Demande au sujet de mes données",
        "Demande RGPD", "Mes informations personnelles", "Question sur mes données enregistrées",
        "Demande relative à la protection des données",
    ],
    "subject.complaint": [
        "Réclamation officielle", "Grosse déception", "Réclamation concernant votre service",
        "Gestion inacceptable de mon achat", "Mécontentement envers Voltora",
        "Réclamation au sujet de l'article {product}",
    ],
}
# fmt: on
