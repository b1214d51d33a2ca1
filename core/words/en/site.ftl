### The public campaign page (jauge build, jauge serve).

# The link to the page with the code to paste the gauge elsewhere.
embed = Embed this gauge
# The webmaster's page (embed.html): its title; where its figures come from ($status: the
# status document's link); its headings and notes; $size the snippet's size in KB; $image and
# $option a file's link and a command's option, shown as code.
embed-title = { $name }: embed the gauge
embed-intro = Every figure below comes from { $status }. Copy the code under each one; replace relative URLs with this folder's public address if you paste them on another site.
live-heading = Live gauge (a page that runs scripts)
snippet-heading = Static snippet (a CMS, a newsletter, an RSS feed)
snippet-intro = No script and no stylesheet needed. Where the widget's script is on the page too, it turns into the live gauge in place.
snippet-code = The snippet's code ({ $size } KB: every style is inline)
mail-heading = Newsletter (e-mail)
mail-intro = Mail clients drop SVG and stylesheets: this form is tables, inline colours and a PNG of the scene ({ $image }, at twice its size). Paste it into a newsletter with this folder's public address as { $option }, so the image's address is absolute.
mail-code = The newsletter form's code
badge-heading = Badge (a README, a forum)
card-heading = Social card (link previews)
charts-heading = Charts
# After a chart's file name: its PNG copy too.
and-png = (and .png)
