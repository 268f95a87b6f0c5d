window.fdbInit = function(){};
