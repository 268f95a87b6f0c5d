window.adLoader = {init: function(){}};
