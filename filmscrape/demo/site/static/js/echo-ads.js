window.echoAds = window.echoAds || []; /* ad slots are filled by a third-party script in real life */
