"""Spanish customer-email phrases every ticket shares, and Spanish words (months, amounts,
payment and shipping names). Template text of the offline provider, not model output.
"""

# fmt: off
WORDS = {
    "months": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre",
    ],
    "date": "{day} de {month} de {year}",
    "money": "{amount} EUR",
    "separators": (".", ","),
    "quotes": ("«", "»"),
    "product_fallback": "el producto",
    "payment": {
        "credit_card": "tarjeta de crédito", "debit_card": "tarjeta de débito", "paypal": "PayPal",
        "invoice": "factura", "bank_transfer": "transferencia bancaria", "klarna": "Klarna",
        "apple_pay": "Apple Pay", "google_pay": "Google Pay", "instalments": "pago a plazos",
    },
    "shipping": {
        "standard": "envío estándar", "express": "envío urgente",
        "next_day": "entrega al día siguiente", "store_pickup": "recogida en tienda",
        "pickup": "recogida en tienda",
    },
}
# fmt: on

# fmt: off
EMAIL: dict[str, list[str]] = {
    "greeting.formal": [
        "Estimado equipo de Voltora:", "Estimados señores:", "Buenos días:", "Buenas tardes:",
        "Estimado servicio de atención al cliente:",
        "A la atención del servicio al cliente de Voltora:", "Muy señores míos:",
        "Estimado equipo de soporte:",
    ],
    "greeting.casual": [
        "Hola:", "Hola,", "¡Hola!", "Hola, equipo de Voltora:", "Buenas,", "Hola a todos,",
        "¿Qué tal?", "Hola, soporte:",
    ],
    "opener": [
        "Les escribo por una compra reciente en su tienda online.",
        "Espero que puedan ayudarme con un problema con un pedido.",
        "Necesito su ayuda con algo que me preocupa desde hace unos días.",
        "Me pongo en contacto con ustedes por mi {product}.",
        "Se trata de mi {product}, que les compré a ustedes.",
        "Tengo una pregunta sobre uno de mis pedidos y no encontré la respuesta en su web.",
        "Primero consulté sus páginas de ayuda, pero no cubren mi caso.",
        "Me llamo {full} y necesito ayuda.",
        "Perdonen la molestia, pero algo ha salido mal con mi compra.",
        "Les escribo en relación con el artículo {product} que pedí a Voltora.",
    ],
    "order.frame": [
        "Hice el pedido el {order_date}", "Lo pedí el {order_date}",
        "El pedido se realizó el {order_date}", "Lo compré por internet el {order_date}",
        "Mi compra es del {order_date}", "Completé la compra el {order_date}",
        "Hice el pedido hace {since_order} días, el {order_date}", "El pedido es del {order_date}",
    ],
    "order.status.delivered": [
        "y me lo entregaron el {delivery_date}", "y llegó el {delivery_date}",
        "y el paquete me llegó el {delivery_date}", "con entrega el {delivery_date}",
        "y lo entregaron hace {since_delivery} días", "y ya me lo entregaron",
    ],
    "order.status.shipped": [
        "y desde entonces figura como enviado", "y su sistema dice que ya se envió",
        "y el estado lleva tiempo diciendo «enviado»",
        "y poco después recibí la confirmación de envío",
    ],
    "order.status.processing": [
        "y sigue apareciendo como «en proceso»", ", pero el estado nunca ha pasado de «en proceso»",
        "y desde entonces está atascado en «en proceso»",
        "y al parecer todavía lo están preparando",
    ],
    "order.status.returned": [
        "y ya se lo he devuelto", "y ya les ha llegado la devolución",
        "y la devolución ya está en su almacén",
    ],
    "order.status.cancelled": [
        "y después se canceló el pedido", ", pero al final se canceló",
        "y ahora aparece como cancelado",
    ],
    "ref.given": [
        "Mi número de pedido es {ref}.", "El número de pedido es {ref}.",
        "Como referencia, se trata del pedido {ref}.", "Lo encontrarán con el número {ref}.",
        "Es el pedido {ref}.", "El correo de confirmación indica la referencia {ref}.",
        "Referencia del pedido: {ref}.", "Por si lo necesitan, el número de pedido es {ref}.",
        "Me refiero al pedido {ref}.",
    ],
    "ref.missing": [
        "Ahora mismo no encuentro mi número de pedido, lo siento.",
        "Ya no tengo el correo de confirmación, así que no tengo el número de pedido a mano.",
        "Borré el correo de confirmación sin querer, pero el pedido está a mi nombre.",
        "No tengo el número de pedido conmigo, pero deberían encontrarlo por mi nombre.",
        "Por desgracia, he perdido la confirmación del pedido.",
        "Les escribo desde el móvil y ahora no puedo buscar el número de pedido.",
        "El pedido debería ser fácil de encontrar con mi nombre y mi correo electrónico.",
    ],
    "detail": [
        "Pagué {total} en total, con {payment}.", "El pedido completo costó {total}.",
        "Se envió con {shipping}.", "Elegí {shipping} para este pedido.",
        "Solo el producto me costó {price}.", "El pedido incluía {items} artículos.",
        "Pagué con {payment}, por si importa.", "Todavía tengo la factura del pedido.",
        "Es la primera vez que tengo un problema con un pedido suyo.",
        "Les he comprado muchas veces sin ningún problema.",
        "Ya he mirado las preguntas frecuentes de su web, pero no encontré respuesta.",
        "Ya han pasado {since_order} días desde que hice el pedido.",
    ],
    "history": [
        "Ya les escribí sobre esto la semana pasada y no obtuve respuesta.",
        "Es la segunda vez que me pongo en contacto por este tema.",
        "Llamé a su línea de atención, pero la llamada se cortó tras una larga espera.",
        "Su asistente de chat me dijo que alguien me escribiría, pero nadie lo hizo.",
        "Me dijeron que el problema se resolvería en unos días, y no fue así.",
        "He intentado solucionarlo por mi cuenta, sin éxito.",
    ],
    "tier.plus": [
        "Soy miembro Plus, así que esperaba que todo fuera más fácil.",
        "Como cliente Plus, esperaba algo mejor.",
        "Pago la suscripción Plus, que supuestamente incluía una atención más rápida.",
    ],
    "tier.business": [
        "Compro en nombre de mi empresa y dependemos de este equipo.",
        "Somos cliente empresarial y esto afecta a nuestro trabajo diario.",
        "Como cliente Business, necesitamos una solución rápida para nuestro equipo.",
    ],
    "tone.low": [
        "No hay prisa, cuando puedan.", "No es urgente, pero agradecería una respuesta.",
        "Tómense su tiempo, solo quiero que se resuelva en algún momento.", "Sin ninguna prisa.",
    ],
    "tone.medium": [
        "Agradecería una respuesta en los próximos días.", "Espero que podamos resolverlo pronto.",
        "Díganme, por favor, cómo seguimos.", "Quedo a la espera de sus noticias.",
    ],
    "tone.high": [
        "Me gustaría que esto se resolviera rápido.", "Esto empieza a ser bastante frustrante.",
        "Les pido que lo traten con cierta prioridad.",
        "He tenido paciencia, pero necesito una respuesta pronto.",
    ],
    "tone.urgent": [
        "Es urgente: por favor, respondan hoy.", "Necesito que lo solucionen de inmediato.",
        "Les ruego que lo atiendan con la máxima urgencia.", "Esto no puede esperar más.",
    ],
    "ask.frame": [
        "Quisiera {want}.", "Lo que pido es {want}.",
        "Díganme, por favor, cómo puedo obtener {want}.", "Les agradecería {want}.",
        "¿Pueden ayudarme a conseguir {want}?", "Lo ideal sería {want}.",
        "Mi petición es sencilla: {want}.", "Solicito {want}.",
    ],
    "want.refund": [
        "un reembolso completo", "el reembolso del precio total",
        "un reembolso a mi método de pago original",
    ],
    "want.store_credit": [
        "un saldo en la tienda en lugar de un reembolso", "el importe como saldo para la tienda",
        "un crédito en mi cuenta para usarlo más adelante",
    ],
    "want.replacement": [
        "un aparato de sustitución", "una unidad nueva que funcione",
        "un reemplazo enviado cuanto antes",
    ],
    "want.exchange": [
        "un cambio por otro modelo", "un cambio por otra versión",
        "un cambio en lugar de un reembolso",
    ],
    "want.repair": [
        "una reparación en garantía", "una reparación gratuita",
        "la reparación del defecto en garantía",
    ],
    "want.reversal": [
        "la anulación del cargo de más", "la devolución del importe erróneo a mi tarjeta",
        "la corrección del cargo",
    ],
    "want.price_diff": [
        "el reembolso de la diferencia de precio", "la diferencia con el nuevo precio, más bajo",
        "el reembolso de la bajada de precio",
    ],
    "want.delivery": [
        "información clara sobre cuándo llegará", "por fin la entrega del paquete",
        "una fecha de entrega firme",
    ],
    "want.access": [
        "el acceso a mi cuenta", "el desbloqueo de mi cuenta",
        "una forma de iniciar sesión que funcione",
    ],
    "want.data_copy": [
        "una copia de mis datos personales",
        "una exportación de todos los datos que tienen sobre mí",
        "un resumen completo de los datos que guardan sobre mí",
    ],
    "want.deletion": [
        "la eliminación de mi cuenta y de mis datos", "el cierre y la eliminación de mi cuenta",
        "el borrado de todos mis datos personales",
    ],
    "want.compensation": [
        "algún gesto de buena voluntad", "un vale por las molestias",
        "una compensación por el trastorno",
    ],
    "want.supervisor": [
        "la revisión de mi caso por un supervisor", "el traslado de mi caso a un responsable",
        "una llamada de alguien con más responsabilidad",
    ],
    "want.cancel": [
        "la cancelación del pedido", "una cancelación antes de que se envíe nada",
        "la confirmación de que la compra está cancelada",
    ],
    "want.address": [
        "el cambio de la dirección de entrega", "el desvío del paquete a mi nueva dirección",
        "la actualización de la dirección de envío",
    ],
    "want.instalment": [
        "ayuda con mi pago a plazos", "una solución para el plazo fallido",
        "una forma de poner en orden mis pagos a plazos",
    ],
    "want.explanation": [
        "una explicación de lo que ha fallado", "una respuesta clara",
        "claridad sobre los próximos pasos",
    ],
    "closing.formal": [
        "Muchas gracias de antemano por su ayuda.", "Quedo a la espera de su respuesta.",
        "Gracias por revisar mi caso.", "Agradezco su atención.", "Muchas gracias por su tiempo.",
        "Espero su respuesta.",
    ],
    "closing.casual": [
        "¡Muchas gracias!", "Gracias de antemano.", "¡Gracias por la ayuda!", "¡Se agradece!",
        "Gracias por solucionarlo.", "Espero noticias pronto.",
    ],
    "signoff.formal": [
        "Atentamente,\n{first}", "Un cordial saludo,\n{first}", "Saludos cordiales,\n{first}",
        "Muchas gracias,\n{first}", "Reciban un saludo,\n{first}",
    ],
    "signoff.casual": [
        "Gracias,\n{first}", "Saludos,\n{first}", "Un abrazo,\n{first}", "{first}",
        "Un saludo,\n{first}",
    ],
    "subject.prefix.high": ["Necesito ayuda: ", "Importante: ", "Segunda solicitud: "],
    "subject.prefix.urgent": ["URGENTE: ", "Urgente: ", "Muy urgente: "],
    "subject.ref": [" ({ref})", " - pedido {ref}", " [{ref}]", ", pedido {ref}"],
}
# fmt: on
